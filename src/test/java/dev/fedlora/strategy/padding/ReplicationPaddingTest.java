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

import dev.fedlora.model.Adapter;
import dev.fedlora.strategy.Adapters;
import dev.fedlora.strategy.ClientUpdate;
import dev.fedlora.strategy.GlobalModel;
import dev.fedlora.strategy.Strategy;
import dev.fedlora.strategy.Upload;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** replication_pad against the hand-computed means of DESIGN.md §1. */
class ReplicationPaddingTest {
    private final Strategy strategy = new ReplicationPadding();

    private ClientUpdate sent(int clientId, long numExamples, Adapter trained) {
        var download = strategy.download(someGlobal(), 0);
        Upload upload = strategy.upload(download, download.startFor(trained.rank), trained);
        return Adapters.update(clientId, numExamples, trained.rank, upload.payload());
    }

    @Test
    void equalWeightsKeepTheRankTwoClientsSlotUndiluted() {
        GlobalModel next = fold(strategy, someGlobal(), List.of(sent(0, 2, low()), sent(1, 2, high())));

        // slot 0: (low + high) / 2; slot 1 (A row 1, B column 1): exactly high's values
        assertAdapter(
                f(5.5, 11, 16.5, 40, 50, 60),
                f(37, 80, 47.5, 100),
                f(3, 4, 5, 6),
                f(2, 0),
                next.adapter());
    }

    @Test
    void unequalWeightsAverageEachSlotOverItsOwners() {
        // w_low = 1/4, w_high = 3/4 on slot 0; slot 1 has the single owner high
        GlobalModel next = fold(strategy, someGlobal(), List.of(sent(0, 1, low()), sent(1, 3, high())));

        assertAdapter(
                f(7.75, 15.5, 23.25, 40, 50, 60),
                f(53.5, 80, 68.75, 100),
                f(4, 5, 6, 7),
                f(2.5, 0.5),
                next.adapter());
    }

    @Test
    void slotOwnedByTwoOfThreeIsTheirWeightedMean() {
        // n = 4, 3, 1: slot 0 weights 1/2, 3/8, 1/8; slot 1 only high, high2 with weights 3/4, 1/4
        GlobalModel next = fold(strategy, someGlobal(),
                List.of(sent(0, 4, low()), sent(1, 3, high()), sent(2, 1, high2())));

        assertAdapter(
                f(4.5, 9, 13.5, 30, 35, 50), // row 1 = 3/4 [40 50 60] + 1/4 [0 -10 20]
                f(29, 58, 37.5, 76), // column 1 = 3/4 [80 100] + 1/4 [-8 4]
                f(2.5, 3.375, 4.25, 5.125), // head over all three: 1/2 low + 3/8 high + 1/8 high2
                f(1.625, -0.125),
                next.adapter());
    }

    @Test
    void slotOwnedByNoSampledClientKeepsItsPreviousValue() {
        Adapter low2 = params(1, f(3, 2, 1), f(-4, 1), f(3, 2, 1, 0), f(1, 1));

        GlobalModel next = fold(strategy, someGlobal(), List.of(sent(0, 1, low()), sent(1, 1, low2)));

        // previous slot 1: A row [7 8 9], B column [6 5]
        assertAdapter(
                f(2, 2, 2, 7, 8, 9),
                f(0, 6, 3, 5),
                f(2, 2, 2, 2),
                f(1, 0),
                next.adapter());
    }

    @Test
    void equalRanksArePlainFedAvgOfTheFlattenedAdapters() {
        SplittableRandom rng = new SplittableRandom(11);
        Adapter[] trained = new Adapter[3];
        for (int k = 0; k < 3; k++) trained[k] = Adapter.init(Adapters.TINY, 2, rng);

        GlobalModel next = fold(strategy, someGlobal(),
                List.of(sent(0, 5, trained[0]), sent(1, 2, trained[1]), sent(2, 9, trained[2])));

        float[][] flat = {trained[0].flatten(), trained[1].flatten(), trained[2].flatten()};
        float[] expected = new float[flat[0].length];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (float) ((5.0 * flat[0][i] + 2.0 * flat[1][i] + 9.0 * flat[2][i]) / 16.0);
        }
        assertArrayEquals(expected, next.adapter().flatten(), 1e-6f);
    }

    @Test
    void equalRanksGiveTheSameAdapterAsZeroPadding() {
        SplittableRandom rng = new SplittableRandom(3);
        Adapter first = Adapter.init(Adapters.TINY, 2, rng);
        Adapter second = Adapter.init(Adapters.TINY, 2, rng);
        List<ClientUpdate> updates = List.of(sent(0, 3, first), sent(1, 8, second));

        assertArrayEquals(fold(new ZeroPadding(), someGlobal(), updates).adapter().flatten(),
                fold(strategy, someGlobal(), updates).adapter().flatten(), 1e-6f);
    }

    @Test
    void noUpdatesReturnThePreviousModel() {
        GlobalModel previous = someGlobal();

        assertSame(previous, strategy.finish(strategy.zero(previous.adapter().layout, previous.adapter().rank), previous, 1));
    }

    @Test
    void serverStateIsCarriedOver() {
        GlobalModel previous = new GlobalModel(someGlobal().adapter(), "state");

        GlobalModel next = fold(strategy, previous, List.of(sent(0, 1, low())));

        assertEquals("state", next.serverState());
    }

    @Test
    void downloadSendsTheFirstRankSlotsAndTheHead() {
        Adapter global = params(2, f(1, 2, 3, 4, 5, 6), f(7, 8, 9, 10), f(11, 12, 13, 14), f(15, 16));
        var download = strategy.download(Adapters.global(global), 5);

        Adapter rank1 = download.startFor(1);
        assertArrayEquals(f(1, 2, 3), rank1.a(0));
        assertArrayEquals(f(7, 9), rank1.b(0));
        assertArrayEquals(f(11, 12, 13, 14), rank1.dense("head.weight"));
        assertArrayEquals(f(15, 16), rank1.dense("head.bias"));
        assertArrayEquals(global.flatten(), download.startFor(2).flatten());
        assertEquals(4 * (1 * 5 + 6), download.bytesFor(1));
        assertEquals(4 * (2 * 5 + 6), download.bytesFor(2));
        assertThrows(IllegalArgumentException.class, () -> download.startFor(3));
        assertFalse(strategy.requiresEqualRanks());
    }

    @Test
    void rankAboveTheGlobalRankIsRejected() {
        GlobalModel rank1Global = Adapters.global(low());
        var acc = strategy.zero(rank1Global.adapter().layout, rank1Global.adapter().rank);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> acc.add(Adapters.update(4, 1, 2, high())));
        assertEquals("client 4 sent rank 2, above the global rank 1", e.getMessage());
    }
}
