package dev.fedlora.model;

import static dev.fedlora.Bitwise.assertSameBits;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.SyntheticData;
import dev.fedlora.data.LabeledImages;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The ND4J forward/backward pass against a plain double reference and central finite differences;
 * the cached first-layer path against the uncached one (bit for bit: the projection is the same
 * products in the same order); SGD with momentum against the heavy-ball rule by hand.
 */
class LoraNetworkTest {
    private static final AdapterLayout SHAPE = dev.fedlora.model.MlpModel.layoutOf(7, 6, 5, 4);
    private static final int RANK = 3;
    private static final int N = 5;
    private static final float SCALE = 1.5f;

    static BaseMlp randomBase(int[] sizes, SplittableRandom rng) {
        float[][] w = new float[sizes.length - 1][];
        float[][] b = new float[sizes.length - 1][];
        for (int l = 0; l < w.length; l++) {
            w[l] = gaussian(sizes[l] * sizes[l + 1], 0.6, rng);
            b[l] = gaussian(sizes[l + 1], 0.2, rng);
        }
        return new BaseMlp(sizes, w, b);
    }

    static float[] gaussian(int n, double std, SplittableRandom rng) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (std * Adapter.gaussian(rng));
        return v;
    }

    static Adapter randomParams(AdapterLayout shape, int rank, SplittableRandom rng) {
        float[] flat = gaussian(new Adapter(shape, rank).size(), 0.5, rng);
        return Adapter.unflatten(shape, rank, flat);
    }

    private final SplittableRandom rng = new SplittableRandom(7);
    private final BaseMlp base = randomBase(new int[] {7, 6, 5, 9}, rng);
    private final Adapter params = randomParams(SHAPE, RANK, rng);
    private final float[] x = gaussian(N * 7, 1.0, rng);
    private final int[] y = {0, 3, 1, 2, 3};

    private double[][] rows() {
        double[][] r = new double[N][7];
        for (int i = 0; i < N; i++) for (int j = 0; j < 7; j++) r[i][j] = x[i * 7 + j];
        return r;
    }

    @Test
    void lossMatchesReference() {
        LoraNetwork net = dev.fedlora.model.MlpModel.of(base, SHAPE).network(RANK, SCALE);
        net.load(params);
        net.loadBatch(x, y, N);
        double loss = net.forwardBackward(N) / N;
        assertEquals(ReferenceLoraMlp.loss(base, params, SCALE, rows(), y), loss, 1e-5);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        LoraNetwork net = dev.fedlora.model.MlpModel.of(base, SHAPE).network(RANK, SCALE);
        net.load(params);
        net.loadBatch(x, y, N);
        net.forwardBackward(N);
        float[] analytic = net.gradients().flatten();
        float[] theta = params.flatten();
        double eps = 1e-3;
        for (int i = 0; i < theta.length; i++) {
            float[] plus = theta.clone();
            float[] minus = theta.clone();
            plus[i] += (float) eps;
            minus[i] -= (float) eps;
            double lp = ReferenceLoraMlp.loss(base, Adapter.unflatten(SHAPE, RANK, plus), SCALE, rows(), y);
            double lm = ReferenceLoraMlp.loss(base, Adapter.unflatten(SHAPE, RANK, minus), SCALE, rows(), y);
            double numeric = (lp - lm) / ((double) plus[i] - minus[i]);
            assertEquals(numeric, analytic[i], 2e-4 + 1e-3 * Math.abs(numeric), "gradient of parameter " + i);
        }
    }

    @Test
    void sgdStepMovesAgainstTheGradient() {
        LoraNetwork net = dev.fedlora.model.MlpModel.of(base, SHAPE).network(RANK, SCALE);
        net.load(params);
        net.loadBatch(x, y, N);
        net.forwardBackward(N);
        float[] g = net.gradients().flatten();
        net.sgdStep(0.1, 0.0, true);
        float[] after = net.store().flatten();
        float[] before = params.flatten();
        for (int i = 0; i < before.length; i++) assertEquals(before[i] - 0.1f * g[i], after[i], 1e-6);
    }

    @Test
    void twoMomentumStepsFollowTheHeavyBallRule() {
        // v1 = g1, p1 = p0 - lr v1; v2 = mu v1 + g2, p2 = p1 - lr v2, with g2 taken at p1 on another batch
        double lr = 0.1, mu = 0.9;
        float[] x2 = gaussian(N * 7, 1.0, new SplittableRandom(8));
        int[] y2 = {2, 2, 0, 1, 3};
        LoraNetwork net = dev.fedlora.model.MlpModel.of(base, SHAPE).network(RANK, SCALE);
        net.load(params);
        net.loadBatch(x, y, N);
        net.forwardBackward(N);
        float[] g1 = net.gradients().flatten();
        net.sgdStep(lr, mu, true);
        float[] p1 = net.store().flatten();
        net.loadBatch(x2, y2, N);
        net.forwardBackward(N);
        float[] g2 = net.gradients().flatten();
        net.sgdStep(lr, mu, true);
        float[] p2 = net.store().flatten();

        float[] p0 = params.flatten();
        double largestMomentumTerm = 0;
        for (int i = 0; i < p0.length; i++) {
            assertEquals(p0[i] - lr * g1[i], p1[i], 1e-6 * (1 + Math.abs(p0[i])), "first step, parameter " + i);
            double expected = (double) p1[i] - lr * (mu * g1[i] + g2[i]);
            assertEquals(expected, p2[i], 1e-6 * (1 + Math.abs(expected)), "second step, parameter " + i);
            largestMomentumTerm = Math.max(largestMomentumTerm, Math.abs(lr * mu * g1[i]));
        }
        assertTrue(largestMomentumTerm > 1e-3, "the momentum term is visible: " + largestMomentumTerm);

        // the same two steps without momentum land elsewhere; loading clears the velocity
        LoraNetwork plain = dev.fedlora.model.MlpModel.of(base, SHAPE).network(RANK, SCALE);
        plain.load(params);
        plain.loadBatch(x, y, N);
        plain.forwardBackward(N);
        plain.sgdStep(lr, 0, true);
        plain.loadBatch(x2, y2, N);
        plain.forwardBackward(N);
        plain.sgdStep(lr, 0, true);
        assertNotEquals(Arrays.toString(p2), Arrays.toString(plain.store().flatten()));
        net.load(params);
        net.loadBatch(x, y, N);
        net.forwardBackward(N);
        net.sgdStep(lr, mu, true);
        assertSameBits(p1, net.store().flatten(), "first step after load: no velocity left");
    }

    @Test
    void frozenAStaysPut() {
        LoraNetwork net = dev.fedlora.model.MlpModel.of(base, SHAPE).network(RANK, SCALE);
        net.load(params);
        net.loadBatch(x, y, N);
        net.forwardBackward(N);
        net.sgdStep(0.1, 0.9, false);
        Adapter after = net.store();
        for (int l = 0; l < SHAPE.targets().size(); l++) {
            for (int i = 0; i < params.a(l).length; i++) assertEquals(params.a(l)[i], after.a(l)[i]);
        }
    }

    @Test
    void frozenBKeepsItsBitsWhileAAndTheHeadTakeTheSameFirstStep() {
        LoraNetwork trainsAll = dev.fedlora.model.MlpModel.of(base, SHAPE).network(RANK, SCALE);
        trainsAll.load(params);
        trainsAll.loadBatch(x, y, N);
        trainsAll.forwardBackward(N);
        trainsAll.sgdStep(0.1, 0.9, true, true, 0);
        Adapter all = trainsAll.store();
        LoraNetwork net = dev.fedlora.model.MlpModel.of(base, SHAPE).network(RANK, SCALE);
        net.load(params);
        for (int step = 0; step < 3; step++) {
            net.loadBatch(x, y, N);
            net.forwardBackward(N);
            net.sgdStep(0.1, 0.9, true, false, step == 0 ? 0 : 0.5);
            if (step == 0) {
                Adapter first = net.store();
                for (int l = 0; l < SHAPE.targets().size(); l++) assertSameBits(all.a(l), first.a(l), "A_" + l + " after one step");
                assertSameBits(all.dense("head.weight"), first.dense("head.weight"), "head after one step");
                net.anchorAtCurrent();
            }
        }
        Adapter after = net.store();
        for (int l = 0; l < SHAPE.targets().size(); l++) {
            assertSameBits(params.b(l), after.b(l), "B_" + l + " after three steps with momentum and a proximal term");
            assertTrue(!Arrays.equals(params.a(l), after.a(l)), "A_" + l + " moves");
        }
    }

    @Test
    void cachedFirstLayerGivesBitIdenticalLossGradientsAndSteps() {
        // the production shape's first layer (784 inputs) and more examples than one 1024-row chunk
        // of the projection, in batches of 32 and a partial last batch, with momentum
        int[] sizes = {784, 64, 48, 10};
        AdapterLayout shape = dev.fedlora.model.MlpModel.layoutOf(sizes);
        SplittableRandom r = new SplittableRandom(11);
        BaseMlp frozen = SyntheticData.base(sizes, r);
        Adapter start = randomParams(shape, 4, r);
        LabeledImages data = SyntheticData.images(1500, 784, r);
        float[] projection = FirstLayerProjection.of(frozen, data);
        assertEquals(1500 * 64, projection.length);
        int[] order = new int[200];
        for (int i = 0; i < order.length; i++) order[i] = r.nextInt(data.size());

        LoraNetwork cached = dev.fedlora.model.MlpModel.of(frozen, shape).network(4, SCALE);
        LoraNetwork uncached = dev.fedlora.model.MlpModel.of(frozen, shape).network(4, SCALE);
        cached.load(start);
        uncached.load(start);
        int steps = 0;
        for (int from = 0; from < order.length; from += 32) {
            int n = Math.min(32, order.length - from);
            cached.loadBatch(data, projection, order, from, n);
            uncached.loadBatch(data, null, order, from, n);
            double cachedLoss = cached.forwardBackward(n);
            double uncachedLoss = uncached.forwardBackward(n);
            assertEquals(Double.doubleToRawLongBits(uncachedLoss), Double.doubleToRawLongBits(cachedLoss),
                    "loss of the batch at " + from + ": " + uncachedLoss + " vs " + cachedLoss);
            assertSameBits(uncached.gradients().flatten(), cached.gradients().flatten(), "gradients at " + from);
            cached.sgdStep(0.05, 0.9, true);
            uncached.sgdStep(0.05, 0.9, true);
            assertSameBits(uncached.store().flatten(), cached.store().flatten(), "parameters after the step at " + from);
            steps++;
        }
        assertEquals(7, steps, "six full batches and one of 8");
        double[] cachedEval = evaluateAll(cached, data, projection);
        double[] uncachedEval = evaluateAll(uncached, data, null);
        assertArrayEquals(uncachedEval, cachedEval, 0.0, "evaluation {loss, correct}");
    }

    private static double[] evaluateAll(LoraNetwork net, LabeledImages data, float[] projection) {
        int[] all = SyntheticData.range(0, data.size());
        net.loadBatch(data, projection, all, 0, all.length);
        return net.evaluate(all.length);
    }
}
