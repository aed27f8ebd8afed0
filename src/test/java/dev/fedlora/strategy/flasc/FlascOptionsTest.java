package dev.fedlora.strategy.flasc;

import static dev.fedlora.strategy.Adapters.f;
import static dev.fedlora.strategy.Adapters.fold;
import static dev.fedlora.strategy.Adapters.params;
import static dev.fedlora.strategy.Adapters.update;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.fedlora.comm.SparseVector;
import dev.fedlora.model.Adapter;
import dev.fedlora.strategy.Adapters;
import dev.fedlora.strategy.Download;
import dev.fedlora.strategy.GlobalModel;
import dev.fedlora.strategy.Strategy;
import dev.fedlora.strategy.Upload;
import dev.fedlora.strategy.flasc.DensitySchedule.Shape;
import dev.fedlora.strategy.registry.Strategies;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * FLASC's density schedules, frozen download mask and server Adam, on the 16-value tiny adapter
 * whose magnitudes rank: 9 (index 4), 8 (7), 7 (15), 3 (9), 2.5 (11), 2 (5), 1.5 (2), 1 (1, 10), ...
 */
class FlascOptionsTest {
    private static GlobalModel spreadGlobal() {
        return Adapters.global(params(2,
                f(0.5, -1, 1.5, 0.25, -9, 2),
                f(0.1, 8, -0.2, 3),
                f(1, -2.5, 0.3, 0.4),
                f(0.6, -7)));
    }

    private static DensitySchedule linear(double from, double to) {
        return new DensitySchedule(Shape.LINEAR, from, to, 4);
    }

    private static int nnz(Download download) {
        return ((FlascDownload) download).nnz();
    }

    @Test
    void downloadDensityFollowsItsSchedule() {
        // 0.5 -> 0.125 over 4 rounds: 0.5, 0.375, 0.25, 0.125 of 16 values
        Flasc flasc = new Flasc(linear(0.5, 0.125), DensitySchedule.constant(1), false, new ServerSgd(1));

        assertEquals(8, nnz(flasc.download(spreadGlobal(), 1)));
        assertEquals(6, nnz(flasc.download(spreadGlobal(), 2)));
        assertEquals(4, nnz(flasc.download(spreadGlobal(), 3)));
        var last = flasc.download(spreadGlobal(), 4);
        assertEquals(2, nnz(last));
        assertArrayEquals(f(0, 0, 0, 0, -9, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0), last.startFor(2).flatten());
        assertEquals(4 * 2 + 2, last.bytesFor(2), "2 values + a 2-byte bitmask");
    }

    @Test
    void uploadDensityFollowsItsScheduleThroughTheRoundsDownload() {
        Flasc flasc = new Flasc(DensitySchedule.constant(1), linear(0.5, 0.125), false, new ServerSgd(1));
        Adapter start = spreadGlobal().adapter();
        Adapter trained = Adapter.unflatten(Adapters.TINY, 2,
                f(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16));

        Upload first = flasc.upload(flasc.download(spreadGlobal(), 1), start, trained);
        Upload last = flasc.upload(flasc.download(spreadGlobal(), 4), start, trained);

        assertEquals(8, ((SparseVector) first.payload()).nnz());
        SparseVector lastSent = (SparseVector) last.payload();
        // delta = start - trained: largest |delta| are index 15 (-7 - 16 = -23) and index 11 (-2.5 - 12 = -14.5);
        // the client sends its trained values there
        assertArrayEquals(new int[] {11, 15}, lastSent.indices());
        assertArrayEquals(f(12, 16), lastSent.values());
    }

    @Test
    void frozenMaskIsTakenInRoundOneAndKept() {
        Flasc frozen = new Flasc(DensitySchedule.constant(0.15), DensitySchedule.constant(1), true, new ServerSgd(1));
        Flasc fresh = new Flasc(0.15, 1, 1);
        GlobalModel global = spreadGlobal();
        // index 0 is outside the mask (the client received 0 there); a client moves it to 100, so the
        // global becomes 0.5 + 100 = 100.5, now the largest magnitude
        SparseVector delta = new SparseVector(16, new int[] {0}, f(100));

        GlobalModel next = fold(frozen, global, List.of(update(0, 1, 2, delta)));

        FlascState state = assertInstanceOf(FlascState.class, next.serverState());
        BitSet roundOneMask = new BitSet();
        roundOneMask.set(4);
        roundOneMask.set(7);
        roundOneMask.set(15);
        assertEquals(roundOneMask, state.downloadMask());
        assertNull(state.optimizerState(), "sgd keeps no state");
        float[] kept = frozen.download(next, 2).startFor(2).flatten();
        assertEquals(0f, kept[0], "index 0 is outside the round-1 mask");
        assertEquals(-9f, kept[4]);
        assertEquals(100.5f, fresh.download(next, 2).startFor(2).flatten()[0], "without freezing it is sent");
        assertEquals(roundOneMask, ((FlascState) fold(frozen, next, List.of(update(0, 1, 2, delta))).serverState())
                .downloadMask(), "later rounds keep it");
    }

    @Test
    void frozenMaskNeedsAConstantDownloadDensity() {
        assertThrows(IllegalArgumentException.class,
                () -> new Flasc(linear(0.5, 0.1), DensitySchedule.constant(1), true, new ServerSgd(1)));
    }

    @Test
    void serverAdamIsBiasCorrectedAndKeepsItsMoments() {
        Flasc adam = new Flasc(DensitySchedule.constant(1), DensitySchedule.constant(1), false,
                new ServerAdam(0.1, 0.5, 0.75, 1e-8));

        // step 1, g = (2, -4, 0, ...): m = (1, -2), v = (1, 4); m / 0.5 = g, v / 0.25 = g^2,
        // so theta moves by 0.1 g / |g|: 0.5 -> 0.4, -1 -> -0.9; g = 0 leaves theta alone
        // (the client sends theta - g at the entries it changed: 0.5 - 2, -1 + 4)
        GlobalModel round1 = fold(adam, spreadGlobal(),
                List.of(update(0, 1, 2, new SparseVector(16, new int[] {0, 1}, f(-1.5, 3)))));
        assertArrayEquals(f(0.4, -0.9, 1.5), Arrays.copyOf(round1.adapter().flatten(), 3), 1e-6f);

        // step 2, g = (4, 0, 1): m = (2.5, -1, 0.5), v = (4.75, 3, 0.25);
        // theta_0 = 0.4 - 0.1 (2.5 / 0.75) / sqrt(4.75 / 0.4375) = 0.4 - 0.101163 = 0.298837
        // theta_1 = -0.9 - 0.1 (-1 / 0.75) / sqrt(3 / 0.4375) = -0.9 + 0.050918 = -0.849082
        // theta_2 = 1.5 - 0.1 (0.5 / 0.75) / sqrt(0.25 / 0.4375) = 1.5 - 0.088192 = 1.411808
        float[] theta1 = round1.adapter().flatten();
        GlobalModel round2 = fold(adam, round1,
                List.of(update(0, 1, 2, new SparseVector(16, new int[] {0, 2}, f(theta1[0] - 4, theta1[2] - 1)))));
        assertArrayEquals(f(0.298837, -0.849082, 1.411808), Arrays.copyOf(round2.adapter().flatten(), 3), 1e-6f);
        float[] untouched = spreadGlobal().adapter().flatten();
        assertArrayEquals(Arrays.copyOfRange(untouched, 3, 16),
                Arrays.copyOfRange(round2.adapter().flatten(), 3, 16), "g = 0 throughout");

        ServerAdam.Moments moments = assertInstanceOf(ServerAdam.Moments.class,
                ((FlascState) round2.serverState()).optimizerState());
        assertEquals(2, moments.steps());
        // g is formed from float values on the wire: exact to float precision
        assertArrayEquals(new double[] {2.5, -1, 0.5}, Arrays.copyOf(moments.m(), 3), 1e-6);
        assertArrayEquals(new double[] {4.75, 3, 0.25}, Arrays.copyOf(moments.v(), 3), 1e-5);
    }

    @Test
    void adamStepsAlongTheWeightedMeanDelta() {
        ServerAdam adam = new ServerAdam(0.1, 0.5, 0.75, 1e-8);
        float[] theta = f(1, 1);

        // g = start - mean = (1, -0.75)
        ServerAdam.Moments m = (ServerAdam.Moments) adam.step(theta, f(1, 1), new double[] {0, 1.75}, null);

        assertArrayEquals(new double[] {0.5, -0.375}, m.m(), 1e-12);
        assertArrayEquals(new double[] {0.25, 0.140625}, m.v(), 1e-12);
        assertArrayEquals(f(0.9, 1.1), theta, 1e-6f);
    }

    @Test
    void optionsAreWiredFromTheConfig() {
        Strategy adam = Strategies.create(Adapters.config("strategy.name = flasc",
                "strategy.flasc { server-optimizer = adam, server-learning-rate = 0.1, adam { beta1 = 0.5, beta2 = 0.75 } }"));
        Strategy scheduled = Strategies.create(Adapters.config("strategy.name = flasc", "experiment.rounds = 4",
                "strategy.flasc { schedule = linear, download-density = 0.5, final-download-density = 0.125 }"));

        GlobalModel round1 = fold(adam, spreadGlobal(),
                List.of(update(0, 1, 2, new SparseVector(16, new int[] {0, 1}, f(-1.5, 3)))));
        assertArrayEquals(f(0.4, -0.9, 1.5), Arrays.copyOf(round1.adapter().flatten(), 3), 1e-6f);
        assertEquals(6, nnz(scheduled.download(spreadGlobal(), 2)));
        assertEquals(2, nnz(scheduled.download(spreadGlobal(), 4)));
    }

    @Test
    void badAdamSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new ServerAdam(0, 0.9, 0.999, 1e-8));
        assertThrows(IllegalArgumentException.class, () -> new ServerAdam(0.1, 1, 0.999, 1e-8));
        assertThrows(IllegalArgumentException.class, () -> new ServerAdam(0.1, 0.9, -0.1, 1e-8));
        assertThrows(IllegalArgumentException.class, () -> new ServerAdam(0.1, 0.9, 0.999, 0));
    }
}
