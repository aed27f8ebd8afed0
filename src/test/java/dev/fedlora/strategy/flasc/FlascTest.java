package dev.fedlora.strategy.flasc;

import static dev.fedlora.strategy.Adapters.TINY;
import static dev.fedlora.strategy.Adapters.f;
import static dev.fedlora.strategy.Adapters.fold;
import static dev.fedlora.strategy.Adapters.params;
import static dev.fedlora.strategy.Adapters.update;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.comm.SparseVector;
import dev.fedlora.model.Adapter;
import dev.fedlora.strategy.Adapters;
import dev.fedlora.strategy.GlobalModel;
import dev.fedlora.strategy.NoState;
import dev.fedlora.strategy.PaddedSum;
import dev.fedlora.strategy.Upload;
import dev.fedlora.strategy.padding.FedAvg;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * FLASC against DESIGN.md §1. The tiny adapter flattens to 16 values: A at 0..5, B at 6..9,
 * head W at 10..13, head bias at 14..15.
 */
class FlascTest {
    /**
     * The three largest magnitudes sit in three different tensors: -9 in A (index 4), 8 in B
     * (index 7), -7 in the head bias (index 15); the next largest is 3 (B, index 9).
     */
    private static GlobalModel spreadGlobal() {
        return Adapters.global(params(2,
                f(0.5, -1, 1.5, 0.25, -9, 2),
                f(0.1, 8, -0.2, 3),
                f(1, -2.5, 0.3, 0.4),
                f(0.6, -7)));
    }

    @Test
    void downloadKeepsOneGlobalTopKOverAllTensors() {
        GlobalModel global = spreadGlobal();
        float[] before = global.adapter().flatten();
        var download = new Flasc(0.15, 1, 1).download(global, 0); // k = ceil(0.15 * 16) = 3

        Adapter start = download.startFor(2);

        assertArrayEquals(f(0, 0, 0, 0, -9, 0), start.a(0));
        assertArrayEquals(f(0, 8, 0, 0), start.b(0));
        assertArrayEquals(f(0, 0, 0, 0), start.dense("head.weight"));
        assertArrayEquals(f(0, -7), start.dense("head.bias"));
        assertArrayEquals(before, global.adapter().flatten(), "the global adapter is not modified");
        // sparse: 4 * 3 values + min(4 * 3 indices, ceil(16 / 8) = 2 bitmask bytes) = 14 < 64 dense
        assertEquals(14, download.bytesFor(2));
    }

    @Test
    void fullDownloadDensitySendsEverythingAtTheDenseCost() {
        GlobalModel global = spreadGlobal();
        var download = new Flasc(1, 1, 1).download(global, 0);

        assertArrayEquals(global.adapter().flatten(), download.startFor(2).flatten());
        // dense 4 * 16 = 64 beats sparse 64 + 2
        assertEquals(64, download.bytesFor(2));
    }

    @Test
    void uploadIsTheTopKOfTheChangeFromTheStart() {
        Flasc flasc = new Flasc(0.15, 0.125, 1); // k_up = ceil(0.125 * 16) = 2
        var download = flasc.download(spreadGlobal(), 0);
        Adapter start = download.startFor(2);
        Adapter trained = start.copy();
        trained.a(0)[0] += 0.5f; // delta = start - trained = -0.5 at index 0
        trained.b(0)[3] -= 2f; // +2 at index 9
        trained.dense("head.weight")[2] += 1f; // -1 at index 12
        trained.dense("head.bias")[1] += 0.25f; // -0.25 at index 15

        Upload upload = flasc.upload(download, start, trained);

        // the two largest |delta| (2 at index 9, -1 at index 12), sent as the client's new values
        SparseVector sent = (SparseVector) upload.payload();
        assertEquals(16, sent.length());
        assertArrayEquals(new int[] {9, 12}, sent.indices());
        assertArrayEquals(f(-2, 1), sent.values());
        // 4 * 2 values + min(4 * 2, 2 bitmask bytes) = 10
        assertEquals(10, upload.bytes());
    }

    @Test
    void uploadBytesAreTheCheaperOfDenseAndSparse() {
        SplittableRandom rng = new SplittableRandom(5);
        Adapter start = Adapter.init(TINY, 2, rng);
        Adapter trained = Adapter.init(TINY, 2, rng);

        Flasc half = new Flasc(1, 0.5, 1);
        Flasc full = new Flasc(1, 1, 1);
        GlobalModel global = Adapters.global(start);

        // k = 8: 4 * 8 + min(32, 2) = 34 < 64
        assertEquals(34, half.upload(half.download(global, 1), start, trained).bytes());
        // k = 16: sparse 64 + 2 loses to dense 64
        assertEquals(64, full.upload(full.download(global, 1), start, trained).bytes());
    }

    @Test
    void serverStepsAlongTheWeightedMeanOfTheSparseDeltas() {
        Flasc flasc = new Flasc(1, 1, 0.5);
        GlobalModel global = spreadGlobal();
        // deltas {9: 2, 12: -1} and {4: 4, 9: -2} from theta, sent as the new values theta - delta
        SparseVector sent1 = new SparseVector(16, new int[] {9, 12}, f(3 - 2, 0.3 + 1));
        SparseVector sent2 = new SparseVector(16, new int[] {4, 9}, f(-9 - 4, 3 + 2));

        GlobalModel next = fold(flasc, global, List.of(update(0, 1, 2, sent1), update(1, 3, 2, sent2)));

        // w = 1/4, 3/4: sum w delta = {4: 3, 9: 0.5 - 1.5 = -1, 12: -0.25}; theta - 0.5 * that
        assertArrayEquals(f(
                0.5, -1, 1.5, 0.25, -10.5, 2,
                0.1, 8, -0.2, 3.5,
                1, -2.5, 0.425, 0.4,
                0.6, -7), next.adapter().flatten(), 1e-6f);
        assertEquals(2, next.adapter().rank);
    }

    @Test
    void serverAddsTheClientsChangeToTheUnmaskedGlobal() {
        Flasc flasc = new Flasc(0.15, 1, 1);
        GlobalModel global = spreadGlobal();
        var download = flasc.download(global, 0);
        Adapter start = download.startFor(2);
        Adapter trained = start.copy();
        trained.a(0)[0] += 1f;

        Upload upload = flasc.upload(download, start, trained);
        GlobalModel next = fold(flasc, global, List.of(update(0, 10, 2, upload.payload())));

        // delta = M.theta - trained = -1 at index 0 only (the only nonzero |delta|, then ties at 0 sent
        // as they are); theta - (-1): the masked-out values stay
        float[] expected = global.adapter().flatten();
        expected[0] += 1f;
        assertArrayEquals(expected, next.adapter().flatten(), 1e-6f);
    }

    /**
     * DESIGN.md: densities 1 and 1 with server SGD at rate 1 reproduce dense FedAvg exactly. The
     * clients' trained adapters are random values over several magnitudes (where a float delta
     * loses bits), folded in two partials like a round's tasks; FLASC's next global must equal
     * {@link FedAvg}'s fold of the same clients bit for bit.
     */
    @Test
    void fullDensitiesWithUnitServerRateAreFedAvgBitForBit() {
        Flasc flasc = new Flasc(1, 1, 1);
        FedAvg fedAvg = new FedAvg();
        SplittableRandom rng = new SplittableRandom(17);
        Adapter theta = Adapter.unflatten(TINY, 2, spread(rng, 16));
        GlobalModel<FlascState> flascGlobal = new GlobalModel<>(theta, flasc.initialState());
        GlobalModel<NoState> global = Adapters.global(theta);
        var flascDownload = flasc.download(flascGlobal, 3);
        var fedAvgDownload = fedAvg.download(global, 3);
        assertArrayEquals(fedAvgDownload.startFor(2).flatten(), flascDownload.startFor(2).flatten());
        long[] n = {4, 1, 7, 3, 60};
        SparseSum[] flascParts = {flasc.zero(TINY, 2), flasc.zero(TINY, 2)};
        PaddedSum[] fedAvgParts = {fedAvg.zero(TINY, 2), fedAvg.zero(TINY, 2)};
        for (int k = 0; k < n.length; k++) {
            Adapter start = flascDownload.startFor(2);
            Adapter trained = Adapter.unflatten(TINY, 2, spread(rng, 16));
            flascParts[k % 2].add(update(k, n[k], 2, flasc.upload(flascDownload, start, trained).payload()));
            fedAvgParts[k % 2].add(update(k, n[k], 2, fedAvg.upload(fedAvgDownload, start, trained).payload()));
        }
        flascParts[0].merge(flascParts[1]);
        fedAvgParts[0].merge(fedAvgParts[1]);

        float[] expected = fedAvg.finish(fedAvgParts[0], global, 3).adapter().flatten();
        float[] actual = flasc.finish(flascParts[0], flascGlobal, 3).adapter().flatten();

        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]),
                    "entry " + i + ": fedavg " + expected[i] + ", flasc " + actual[i]);
        }
    }

    /** Values of both signs over ten orders of magnitude. */
    private static float[] spread(SplittableRandom rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) ((rng.nextBoolean() ? 1 : -1) * Math.pow(10, rng.nextDouble(-6, 4)));
        return v;
    }

    @Test
    void noUpdatesReturnThePreviousModel() {
        Flasc flasc = new Flasc(0.5, 0.5, 1);
        GlobalModel previous = spreadGlobal();

        assertSame(previous, flasc.finish(flasc.zero(previous.adapter().layout, previous.adapter().rank), previous, 1));
    }

    @Test
    void everyClientMustHaveTheGlobalRank() {
        Flasc flasc = new Flasc(1, 1, 1);
        var download = flasc.download(spreadGlobal(), 0);

        assertTrue(flasc.requiresEqualRanks());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> download.startFor(1));
        assertEquals("flasc needs every client at rank 2, found 1", e.getMessage());
    }

    @Test
    void deltaOfTheWrongLengthIsRejected() {
        Flasc flasc = new Flasc(1, 1, 1);
        var acc = flasc.zero(Adapters.shapeOf(spreadGlobal()), Adapters.rankOf(spreadGlobal()));
        SparseVector rank1Delta = new SparseVector(11, new int[] {0}, f(1));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> acc.add(update(3, 1, 1, rank1Delta)));
        assertEquals("client 3 sent a vector of length 11, expected 16", e.getMessage());
    }

    @Test
    void badDensitiesAndServerRatesAreRejected() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Flasc(0, 1, 1))
                .getMessage().contains("found 0.0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Flasc(1, 1.5, 1))
                .getMessage().contains("found 1.5"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Flasc(1, 1, 0))
                .getMessage().contains("server learning rate must be > 0, found 0.0"));
    }
}
