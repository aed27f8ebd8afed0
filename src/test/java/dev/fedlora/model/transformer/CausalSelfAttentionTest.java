package dev.fedlora.model.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.kernel.Gemm;
import dev.fedlora.kernel.OpenBlasGemm;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Causal multi-head attention: the mask both ways, and backward against finite differences. */
class CausalSelfAttentionTest {
    private static final int BATCH = 2, T = 5, HEADS = 2, HD = 3, D = HEADS * HD, N = BATCH * T * D;
    private final Gemm gemm = new OpenBlasGemm();
    private final SplittableRandom rng = new SplittableRandom(41);
    private final float[] q = Fixtures.random(rng, N, 1.0), k = Fixtures.random(rng, N, 1.0),
            v = Fixtures.random(rng, N, 1.0), weights = Fixtures.random(rng, N, 1.0);
    private final float[] prob = new float[BATCH * HEADS * T * T], y = new float[N];

    private double loss() {
        CausalSelfAttention.forward(gemm, q, k, v, prob, y, BATCH, T, HEADS, HD, false);
        return FiniteDifferences.dot(weights, y);
    }

    @Test
    void probabilitiesAreCausalAndSumToOne() {
        loss();
        for (int bh = 0; bh < BATCH * HEADS; bh++) {
            for (int t = 0; t < T; t++) {
                double sum = 0;
                for (int u = 0; u < T; u++) {
                    float p = prob[(bh * T + t) * T + u];
                    if (u > t) assertEquals(0f, p, "position " + t + " attends to later " + u);
                    sum += p;
                }
                assertEquals(1.0, sum, 1e-6);
            }
        }
    }

    @Test
    void aLaterPositionChangesNoEarlierOutput() {
        loss();
        float[] before = y.clone();
        int later = 3;
        for (int b = 0; b < BATCH; b++) {
            for (int j = 0; j < D; j++) {
                k[(b * T + later) * D + j] += 0.7f;
                v[(b * T + later) * D + j] -= 0.9f;
                q[(b * T + later) * D + j] *= 2f;
            }
        }
        loss();
        for (int b = 0; b < BATCH; b++) {
            for (int t = 0; t < T; t++) {
                for (int j = 0; j < D; j++) {
                    int i = (b * T + t) * D + j;
                    if (t < later) assertEquals(Float.floatToRawIntBits(before[i]), Float.floatToRawIntBits(y[i]), "y " + i);
                }
            }
            assertTrue(y[(b * T + later) * D] != before[(b * T + later) * D], "the changed position's output moves");
        }
    }

    @Test
    void noGradientFlowsToLaterPositions() {
        loss();
        float[] dy = new float[N];
        int upTo = 1; // only outputs at positions 0 and 1 carry a loss
        for (int b = 0; b < BATCH; b++) for (int t = 0; t <= upTo; t++) for (int j = 0; j < D; j++) {
            dy[(b * T + t) * D + j] = weights[(b * T + t) * D + j];
        }
        float[] dq = new float[N], dk = new float[N], dv = new float[N];
        CausalSelfAttention.backward(gemm, q, k, v, prob, dy, dq, dk, dv, new float[T * T], BATCH, T, HEADS, HD);
        for (int b = 0; b < BATCH; b++) for (int t = upTo + 1; t < T; t++) for (int j = 0; j < D; j++) {
            int i = (b * T + t) * D + j;
            assertEquals(0f, dq[i], "dq " + i);
            assertEquals(0f, dk[i], "dk " + i);
            assertEquals(0f, dv[i], "dv " + i);
        }
    }

    @Test
    void backwardMatchesFiniteDifferences() {
        loss();
        float[] dq = new float[N], dk = new float[N], dv = new float[N];
        CausalSelfAttention.backward(gemm, q, k, v, prob, weights, dq, dk, dv, new float[T * T], BATCH, T, HEADS, HD);
        FiniteDifferences.check(q, dq, N, 1e-2f, this::loss, 1e-3, "dq");
        FiniteDifferences.check(k, dk, N, 1e-2f, this::loss, 1e-3, "dk");
        FiniteDifferences.check(v, dv, N, 1e-2f, this::loss, 1e-3, "dv");
    }
}
