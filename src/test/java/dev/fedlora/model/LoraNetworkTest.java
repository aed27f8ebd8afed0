package dev.fedlora.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The ND4J forward/backward pass against a plain double reference and central finite differences. */
class LoraNetworkTest {
    private static final ModelShape SHAPE = new ModelShape(7, 6, 5, 4);
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
        for (int i = 0; i < n; i++) v[i] = (float) (std * LoraParams.gaussian(rng));
        return v;
    }

    static LoraParams randomParams(ModelShape shape, int rank, SplittableRandom rng) {
        float[] flat = gaussian(new LoraParams(shape, rank).size(), 0.5, rng);
        return LoraParams.unflatten(shape, rank, flat);
    }

    private final SplittableRandom rng = new SplittableRandom(7);
    private final BaseMlp base = randomBase(new int[] {7, 6, 5, 9}, rng);
    private final LoraParams params = randomParams(SHAPE, RANK, rng);
    private final float[] x = gaussian(N * 7, 1.0, rng);
    private final int[] y = {0, 3, 1, 2, 3};

    private double[][] rows() {
        double[][] r = new double[N][7];
        for (int i = 0; i < N; i++) for (int j = 0; j < 7; j++) r[i][j] = x[i * 7 + j];
        return r;
    }

    @Test
    void lossMatchesReference() {
        LoraNetwork net = new LoraNetwork(base, SHAPE, RANK, SCALE);
        net.load(params);
        net.loadBatch(x, y, N);
        double loss = net.forwardBackward(N) / N;
        assertEquals(ReferenceLoraMlp.loss(base, params, SCALE, rows(), y), loss, 1e-5);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        LoraNetwork net = new LoraNetwork(base, SHAPE, RANK, SCALE);
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
            double lp = ReferenceLoraMlp.loss(base, LoraParams.unflatten(SHAPE, RANK, plus), SCALE, rows(), y);
            double lm = ReferenceLoraMlp.loss(base, LoraParams.unflatten(SHAPE, RANK, minus), SCALE, rows(), y);
            double numeric = (lp - lm) / ((double) plus[i] - minus[i]);
            assertEquals(numeric, analytic[i], 2e-4 + 1e-3 * Math.abs(numeric), "gradient of parameter " + i);
        }
    }

    @Test
    void sgdStepMovesAgainstTheGradient() {
        LoraNetwork net = new LoraNetwork(base, SHAPE, RANK, SCALE);
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
    void frozenAStaysPut() {
        LoraNetwork net = new LoraNetwork(base, SHAPE, RANK, SCALE);
        net.load(params);
        net.loadBatch(x, y, N);
        net.forwardBackward(N);
        net.sgdStep(0.1, 0.9, false);
        LoraParams after = net.store();
        for (int l = 0; l < SHAPE.adaptedLayers(); l++) {
            for (int i = 0; i < params.a[l].length; i++) assertEquals(params.a[l][i], after.a[l][i]);
        }
    }
}
