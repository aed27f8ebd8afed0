package dev.fedlora.strategy.padding;

import static dev.fedlora.strategy.Adapters.assertAdapter;
import static dev.fedlora.strategy.Adapters.f;
import static dev.fedlora.strategy.Adapters.fold;
import static dev.fedlora.strategy.Adapters.high;
import static dev.fedlora.strategy.Adapters.high2;
import static dev.fedlora.strategy.Adapters.low;
import static dev.fedlora.strategy.Adapters.params;
import static dev.fedlora.strategy.Adapters.someGlobal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.model.Adapter;
import dev.fedlora.strategy.Adapters;
import dev.fedlora.strategy.ClientUpdate;
import dev.fedlora.strategy.GlobalModel;
import dev.fedlora.strategy.Strategy;
import dev.fedlora.strategy.Upload;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** zero_pad against the hand-computed means of DESIGN.md §1. */
class ZeroPaddingTest {
    private final Strategy strategy = new ZeroPadding();

    private ClientUpdate sent(int clientId, long numExamples, Adapter trained) {
        var download = strategy.download(someGlobal(), 0);
        Upload upload = strategy.upload(download, download.startFor(trained.rank), trained);
        return Adapters.update(clientId, numExamples, trained.rank, upload.payload());
    }

    @Test
    void equalWeightsHalveTheSlotOnlyTheRankTwoClientOwns() {
        GlobalModel next = fold(strategy, someGlobal(), List.of(sent(0, 2, low()), sent(1, 2, high())));

        // slot 0: (low + high) / 2; slot 1 (A row 1, B column 1): high / 2, the dilution
        assertAdapter(
                f(5.5, 11, 16.5, 20, 25, 30),
                f(37, 40, 47.5, 50),
                f(3, 4, 5, 6),
                f(2, 0),
                next.adapter());
    }

    @Test
    void unequalWeightsGiveTheWeightedMeanOverAllClients() {
        // w_low = 1/4, w_high = 3/4
        GlobalModel next = fold(strategy, someGlobal(), List.of(sent(0, 1, low()), sent(1, 3, high())));

        assertAdapter(
                f(7.75, 15.5, 23.25, 30, 37.5, 45), // row 1 = 3/4 * [40 50 60]
                f(53.5, 60, 68.75, 75), // column 0 = [1 + 52.5, 1.25 + 67.5], column 1 = 3/4 * [80 100]
                f(4, 5, 6, 7),
                f(2.5, 0.5),
                next.adapter());
    }

    @Test
    void slotOwnedByTwoOfThreeIsDividedByTheTotalWeight() {
        // n = 4, 3, 1 (total 8): slot 1 = (3 high + 1 high2) / 8
        GlobalModel next = fold(strategy, someGlobal(),
                List.of(sent(0, 4, low()), sent(1, 3, high()), sent(2, 1, high2())));

        assertAdapter(
                f(4.5, 9, 13.5, 15, 17.5, 25),
                f(29, 29, 37.5, 38),
                f(2.5, 3.375, 4.25, 5.125),
                f(1.625, -0.125),
                next.adapter());
    }

    @Test
    void slotOwnedByNoSampledClientBecomesZero() {
        Adapter low2 = params(1, f(3, 2, 1), f(-4, 1), f(3, 2, 1, 0), f(1, 1));

        GlobalModel next = fold(strategy, someGlobal(), List.of(sent(0, 1, low()), sent(1, 1, low2)));

        // the previous global slot 1 (A row [7 8 9], B column [6 5]) is not kept: 0 / total weight
        assertAdapter(
                f(2, 2, 2, 0, 0, 0),
                f(0, 0, 3, 0),
                f(2, 2, 2, 2),
                f(1, 0),
                next.adapter());
    }

    @Test
    void equalRanksArePlainFedAvgOfTheFlattenedAdapters() {
        SplittableRandom rng = new SplittableRandom(7);
        Adapter[] trained = new Adapter[3];
        long[] n = {5, 2, 9};
        for (int k = 0; k < 3; k++) trained[k] = Adapter.init(Adapters.TINY, 2, rng);

        GlobalModel next = fold(strategy, someGlobal(),
                List.of(sent(0, n[0], trained[0]), sent(1, n[1], trained[1]), sent(2, n[2], trained[2])));

        float[][] flat = {trained[0].flatten(), trained[1].flatten(), trained[2].flatten()};
        float[] expected = new float[flat[0].length];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (float) ((5.0 * flat[0][i] + 2.0 * flat[1][i] + 9.0 * flat[2][i]) / 16.0);
        }
        assertArrayEquals(expected, next.adapter().flatten(), 1e-6f);
    }

    @Test
    void noUpdatesReturnThePreviousModel() {
        GlobalModel previous = someGlobal();

        assertSame(previous, strategy.finish(strategy.zero(previous.adapter().layout, previous.adapter().rank), previous, 1));
    }

    @Test
    void downloadSendsTheFirstRankSlotsAndTheHead() {
        Adapter global = params(2, f(1, 2, 3, 4, 5, 6), f(7, 8, 9, 10), f(11, 12, 13, 14), f(15, 16));
        var download = strategy.download(Adapters.global(global), 3);

        Adapter rank1 = download.startFor(1);
        assertEquals(1, rank1.rank);
        assertArrayEquals(f(1, 2, 3), rank1.a(0)); // row 0 of A
        assertArrayEquals(f(7, 9), rank1.b(0)); // column 0 of B
        assertArrayEquals(f(11, 12, 13, 14), rank1.dense("head.weight"));
        assertArrayEquals(f(15, 16), rank1.dense("head.bias"));
        assertArrayEquals(global.flatten(), download.startFor(2).flatten());

        // 4 bytes * (r * (3 + 2) values per slot + 2*2 + 2 head values)
        assertEquals(44, download.bytesFor(1));
        assertEquals(64, download.bytesFor(2));
        assertThrows(IllegalArgumentException.class, () -> download.startFor(3));
    }

    @Test
    void downloadedStartIsACopyOfTheGlobal() {
        Adapter global = params(2, f(1, 2, 3, 4, 5, 6), f(7, 8, 9, 10), f(11, 12, 13, 14), f(15, 16));
        var download = strategy.download(Adapters.global(global), 0);

        Adapter start = download.startFor(2);
        start.a(0)[0] = 100;
        start.dense("head.weight")[0] = 100;

        assertEquals(1f, global.a(0)[0]);
        assertEquals(11f, global.dense("head.weight")[0]);
    }

    @Test
    void uploadIsTheDenseTrainedAdapterAtTheDownloadCost() {
        var download = strategy.download(someGlobal(), 0);
        Adapter trained = low();

        Upload upload = strategy.upload(download, download.startFor(1), trained);

        assertArrayEquals(trained.flatten(), ((Adapter) upload.payload()).flatten());
        assertEquals(44, upload.bytes());
    }

    @Test
    void allowsMixedRanks() {
        assertFalse(strategy.requiresEqualRanks());
        assertTrue(Adapters.trainsA(strategy));
    }
}
