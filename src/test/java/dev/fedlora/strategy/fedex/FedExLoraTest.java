package dev.fedlora.strategy.fedex;

import static dev.fedlora.Bitwise.assertSameBits;
import static dev.fedlora.strategy.Adapters.f;
import static dev.fedlora.strategy.Adapters.fold;
import static dev.fedlora.strategy.Adapters.high;
import static dev.fedlora.strategy.Adapters.high2;
import static dev.fedlora.strategy.Adapters.someGlobal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.SyntheticData;
import dev.fedlora.model.Adapter;
import dev.fedlora.model.AdapterLayout;
import dev.fedlora.model.BaseMlp;
import dev.fedlora.model.LoraTarget;
import dev.fedlora.model.MlpModel;
import dev.fedlora.strategy.Adapters;
import dev.fedlora.strategy.ClientUpdate;
import dev.fedlora.strategy.GlobalModel;
import dev.fedlora.strategy.padding.FedAvg;
import dev.fedlora.strategy.registry.Strategies;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * fedex_lora with scale s = 2. On the tiny model: clients high (id 0, n = 1) and high2 (id 1,
 * n = 3), so w = 1/4, 3/4, {@code B_high A_high = [3900 5400 6900; 4900 6800 8700]},
 * {@code B_high2 A_high2 = [12 104 -124; 20 0 140]}, their weighted mean
 * {@code [984 1428 1632; 1240 1700 2280]}; {@code A = [4 8 12; 10 5 30]}, {@code B = [22 14; 30 28]},
 * {@code B A = [228 246 684; 400 380 1200]}, so the residual is {@code [756 1182 948; 840 1320 1080]}.
 */
class FedExLoraTest {
    /** Two adapted layers (5 -> 4 -> 3) and 3 classes, for the random-adapter rounds at scale 0.75. */
    private static final AdapterLayout SHAPE = MlpModel.layoutOf(5, 4, 3, 3);
    private static final int[] SIZES = {5, 4, 3, 3};
    private static final float SCALE = 0.75f;

    private final FedExLora strategy = new FedExLora(2f);

    /** Hidden layer W = [1 0 0; 0 1 0], b = [0.5, -0.5]; pretraining head [1 2; 3 4]. */
    private static BaseMlp tinyBase() {
        return new BaseMlp(new int[] {3, 2, 2},
                new float[][] {f(1, 0, 0, 0, 1, 0), f(1, 2, 3, 4)},
                new float[][] {f(0.5, -0.5), f(0, 0)});
    }

    private GlobalModel afterOneRound() {
        return fold(strategy, someGlobal(), List.of(Adapters.update(1, 3, 2, high2()), Adapters.update(0, 1, 2, high())));
    }

    @Test
    void factorsAndHeadAreFedAvgsMeans() {
        GlobalModel next = afterOneRound();
        GlobalModel fedavg = fold(new FedAvg(), someGlobal(),
                List.of(Adapters.update(1, 3, 2, high2()), Adapters.update(0, 1, 2, high())));

        assertArrayEquals(f(4, 8, 12, 10, 5, 30), next.adapter().a(0));
        assertArrayEquals(f(22, 14, 30, 28), next.adapter().b(0));
        assertSameBits(fedavg.adapter().flatten(), next.adapter().flatten(), "the adapter fedavg keeps");
    }

    @Test
    void theResidualIsMergedIntoTheBaseScaled() {
        BaseMlp original = tinyBase();

        BaseMlp merged = Adapters.frozenBase(strategy, original, afterOneRound());

        // [1 0 0; 0 1 0] + 2 [756 1182 948; 840 1320 1080]
        assertArrayEquals(f(1513, 2364, 1896, 1680, 2641, 2160), merged.weight(0));
        assertArrayEquals(f(0.5, -0.5), merged.bias(0));
        assertArrayEquals(f(1, 2, 3, 4), merged.weight(1), "the pretraining head is not adapted");
        assertArrayEquals(f(1, 0, 0, 0, 1, 0), original.weight(0), "the original base is not modified");
        assertSame(original, Adapters.frozenBase(strategy, original, Adapters.fresh(strategy, someGlobal())),
                "the original base until the first merge");
    }

    private static Adapter random(int rank, SplittableRandom rng) {
        float[] values = SyntheticData.gaussian((int) SHAPE.values(rank), 1, rng);
        return Adapter.unflatten(SHAPE, rank, values);
    }

    @Test
    void globalModelIsTheExactWeightedMeanOfTheClientsModelsOverTwoRounds() {
        FedExLora fedex = new FedExLora(SCALE);
        SplittableRandom rng = new SplittableRandom(11);
        BaseMlp original = SyntheticData.base(SIZES, rng);
        GlobalModel global = Adapters.fresh(fedex, Adapters.global(random(2, rng)));
        long[][] examples = {{5, 17, 40}, {2, 9}};
        for (int round = 0; round < examples.length; round++) {
            BaseMlp before = Adapters.frozenBase(fedex, original, global);
            List<ClientUpdate<Adapter>> updates = new ArrayList<>();
            List<Adapter> clients = new ArrayList<>();
            for (int k = 0; k < examples[round].length; k++) {
                Adapter trained = random(2, rng);
                clients.add(trained);
                updates.add(Adapters.update(k, examples[round][k], 2, trained));
            }

            global = fold(fedex, global, updates);

            BaseMlp after = Adapters.frozenBase(fedex, original, global);
            double total = 0;
            for (long n : examples[round]) total += n;
            for (LoraTarget t : SHAPE.targets()) {
                int l = t.index();
                // sum_k w_k (W_old + s B_k A_k), in double
                double[] expected = new double[t.out() * t.in()];
                for (int k = 0; k < clients.size(); k++) {
                    double[] model = effective(before.weight(l), clients.get(k), t);
                    for (int i = 0; i < expected.length; i++) expected[i] += examples[round][k] / total * model[i];
                }
                double[] actual = effective(after.weight(l), global.adapter(), t);
                assertArrayEquals(expected, actual, 1e-5, "round " + (round + 1) + ", " + t.name());
                assertTrue(maxDifference(before.weight(l), after.weight(l)) > 1e-3,
                        "round " + (round + 1) + " merged a residual into " + t.name());
            }
        }
    }

    /** {@code W + s B A} of target {@code t} under {@code p}, out x in, in double. */
    private static double[] effective(float[] w, Adapter p, LoraTarget t) {
        double[] m = new double[t.out() * t.in()];
        float[] a = p.a(t);
        float[] b = p.b(t);
        for (int i = 0; i < t.out(); i++) {
            for (int c = 0; c < t.in(); c++) {
                double s = 0;
                for (int j = 0; j < p.rank; j++) s += (double) b[i * p.rank + j] * a[j * t.in() + c];
                m[i * t.in() + c] = w[i * t.in() + c] + SCALE * s;
            }
        }
        return m;
    }

    private static double maxDifference(float[] x, float[] y) {
        double d = 0;
        for (int i = 0; i < x.length; i++) d = Math.max(d, Math.abs(x[i] - y[i]));
        return d;
    }

    @Test
    void bytesDownAreTheAdapterAndTheDenseDeltaWhenItIsCheaper() {
        var first = strategy.download(Adapters.fresh(strategy, someGlobal()), 1);
        var second = strategy.download(afterOneRound(), 2);

        // rank 2: 2 * (3 + 2) factor values and 2 * 2 + 2 head values
        assertEquals(4 * 16, first.bytesFor(2), "nothing merged yet: the adapter, as fedavg");
        // the residual of 2 clients at rank 2 as factors: (2 + 1) * 2 * (3 + 2) = 30 values > the 2 x 3 delta
        assertEquals(4 * (16 + 6), second.bytesFor(2));
        assertEquals(4 * 16, strategy.upload(first, first.startFor(2), high()).bytes(), "upload: the dense adapter");
    }

    @Test
    void bytesDownCountTheResidualsFactorsWhileTheyAreCheaperThanTheDenseDelta() {
        // fc1 is 6 x 8 (48 values), fc2 3 x 6 (18 values); rank 1: 23 factor values and 12 head values
        AdapterLayout wide = MlpModel.layoutOf(8, 6, 3, 3);
        SplittableRandom rng = new SplittableRandom(3);
        GlobalModel round0 = Adapters.fresh(strategy, Adapters.global(Adapter.init(wide, 1, rng)));
        GlobalModel round1 = fold(strategy, round0, List.of(
                Adapters.update(0, 2, 1, Adapter.init(wide, 1, rng)), Adapters.update(1, 5, 1, Adapter.init(wide, 1, rng))));
        GlobalModel round2 = fold(strategy, round1, List.of(
                Adapters.update(2, 1, 1, Adapter.init(wide, 1, rng)), Adapters.update(3, 1, 1, Adapter.init(wide, 1, rng))));

        assertEquals(4 * 35, strategy.download(round0, 1).bytesFor(1));
        // one residual of 2 clients: fc1 (2 + 1) * 1 * (8 + 6) = 42 < 48 as factors; fc2 3 * 9 = 27 > 18 dense
        assertEquals(4 * (35 + 42 + 18), strategy.download(round1, 2).bytesFor(1));
        // two residuals: fc1 84 > 48, dense from now on
        assertEquals(4 * (35 + 48 + 18), strategy.download(round2, 3).bytesFor(1));
    }

    @Test
    void clientsTrainEverythingOnTheMergedBaseAtEqualRanks() {
        GlobalModel next = afterOneRound();
        var download = strategy.download(next, 2);

        assertTrue(strategy.requiresEqualRanks());
        assertTrue(download.training().trainsA());
        assertSame(((FedExState) next.serverState()).merged(), download.training().baseDelta());
        assertArrayEquals(next.adapter().flatten(), download.startFor(2).flatten());
    }

    @Test
    void scaleComesFromTheConfig() {
        var fromConfig = Strategies.create(Adapters.config("strategy.name = fedex_lora",
                "lora.alpha = 4", "clients.ranks.rank = 2"));
        GlobalModel next = fold(fromConfig, someGlobal(),
                List.of(Adapters.update(1, 3, 2, high2()), Adapters.update(0, 1, 2, high())));

        assertInstanceOf(FedExLora.class, fromConfig);
        // alpha 4 / r_max 2 = 2, as above
        assertArrayEquals(f(1513, 2364, 1896, 1680, 2641, 2160), Adapters.frozenBase(fromConfig, tinyBase(), next).weight(0));
        assertThrows(IllegalArgumentException.class, () -> new FedExLora(0f));
    }

    @Test
    void noUpdatesReturnThePreviousModel() {
        GlobalModel previous = Adapters.fresh(strategy, someGlobal());

        assertSame(previous, strategy.finish(strategy.zero(previous.adapter().layout, previous.adapter().rank), previous, 1));
    }
}
