package dev.fedlora.model.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** LayerNorm's forward against its definition, and its backward against finite differences. */
class LayerNormTest {
    private static final int ROWS = 5, D = 8;
    private final SplittableRandom rng = new SplittableRandom(31);
    private final float[] x = Fixtures.random(rng, ROWS * D, 1.5);
    private final float[] gain = Fixtures.random(rng, D, 0.5);
    private final float[] bias = Fixtures.random(rng, D, 0.5);
    private final float[] weights = Fixtures.random(rng, ROWS * D, 1.0);
    private final float[] y = new float[ROWS * D], mean = new float[ROWS], rstd = new float[ROWS];

    LayerNormTest() {
        for (int j = 0; j < D; j++) gain[j] += 1f;
    }

    private double loss() {
        LayerNorm.forward(x, y, mean, rstd, gain, bias, ROWS, D);
        return FiniteDifferences.dot(weights, y);
    }

    @Test
    void normalizesEachRowToZeroMeanUnitVarianceBeforeGainAndBias() {
        float[] ones = new float[D], zeros = new float[D];
        java.util.Arrays.fill(ones, 1f);
        LayerNorm.forward(x, y, mean, rstd, ones, zeros, ROWS, D);
        for (int r = 0; r < ROWS; r++) {
            double m = 0, v = 0;
            for (int j = 0; j < D; j++) m += y[r * D + j] / (double) D;
            for (int j = 0; j < D; j++) v += (y[r * D + j] - m) * (y[r * D + j] - m) / D;
            assertEquals(0, m, 1e-6, "row " + r + " mean");
            assertEquals(1, v, 1e-4, "row " + r + " variance (eps 1e-5 shrinks it slightly)");
        }
    }

    @Test
    void backwardMatchesFiniteDifferencesAndAccumulates() {
        loss();
        float[] dx = new float[ROWS * D], dGain = new float[D], dBias = new float[D];
        float[] start = Fixtures.random(rng, ROWS * D, 1.0);
        System.arraycopy(start, 0, dx, 0, dx.length);
        LayerNorm.backward(weights, x, mean, rstd, gain, dx, dGain, dBias, ROWS, D);
        for (int i = 0; i < dx.length; i++) dx[i] -= start[i]; // it adds into dx
        FiniteDifferences.check(x, dx, ROWS * D, 1e-2f, this::loss, 1e-3, "dx");
        FiniteDifferences.check(gain, dGain, D, 1e-2f, this::loss, 1e-3, "dgain");
        FiniteDifferences.check(bias, dBias, D, 1e-2f, this::loss, 1e-3, "dbias");
    }
}
