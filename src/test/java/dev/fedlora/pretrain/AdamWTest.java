package dev.fedlora.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class AdamWTest {
    private static final AdamW.Hyper HYPER = new AdamW.Hyper(0.9, 0.999, 1e-8, 0.01);
    private static final double LR = 0.1;

    /**
     * Two steps worked by hand, lr 0.1, betas 0.9 / 0.999, lambda 0.01; tensor p decays, tensor q
     * does not.
     * <pre>
     * step 1 (1 - beta1^1 = 0.1, 1 - beta2^1 = 0.001): m-hat = g, v-hat = g^2, so every value moves
     *   by lr against the sign of its gradient, after decay:
     *   p0 = 1 (1 - 0.001) - 0.1 = 0.899     p1 = -2 (1 - 0.001) + 0.1 = -1.898     q0 = 0.5 - 0.1 = 0.4
     * step 2 (1 - 0.9^2 = 0.19, 1 - 0.999^2 = 0.001999), q0 with g = 1:
     *   m = 0.9 * 0.2 + 0.1 * 1 = 0.28,  v = 0.999 * 0.004 + 0.001 * 1 = 0.004996
     *   q0 = 0.4 - 0.1 * (0.28 / 0.19) / sqrt(0.004996 / 0.001999) = 0.4 - 0.1 * 1.473684 / 1.580915 = 0.306782
     * p0 with g = -0.25: decay 0.899 * 0.999 = 0.898101, m = 0.045 - 0.025 = 0.02,
     *   v = 0.999 * 0.00025 + 0.001 * 0.0625 = 0.00031225,
     *   p0 = 0.898101 - 0.1 * (0.02 / 0.19) / sqrt(0.00031225 / 0.001999) = 0.898101 - 0.026634 = 0.871467
     * p1 with g = 0.5: decay -1.898 * 0.999 = -1.896102, m = -0.09 + 0.05 = -0.04,
     *   v = 0.000999 + 0.00025 = 0.001249,
     *   p1 = -1.896102 + 0.1 * (0.04 / 0.19) / sqrt(0.001249 / 0.001999) = -1.896102 + 0.026634 = -1.869468
     * </pre>
     */
    @Test
    void twoStepsWithBiasCorrectionAndDecoupledDecay() {
        float[] p = {1f, -2f};
        float[] q = {0.5f};
        AdamW adam = new AdamW(new float[][] {p, q}, new boolean[] {true, false}, HYPER);

        adam.step(new float[][] {{0.5f, -1f}, {2f}}, LR);
        assertArrayEquals(new float[] {0.899f, -1.898f}, p, 1e-6f);
        assertArrayEquals(new float[] {0.4f}, q, 1e-6f);
        assertEquals(1, adam.steps());

        adam.step(new float[][] {{-0.25f, 0.5f}, {1f}}, LR);
        assertArrayEquals(new float[] {0.871467f, -1.869468f}, p, 2e-6f);
        assertArrayEquals(new float[] {0.306782f}, q, 2e-6f);
        assertEquals(2, adam.steps());
    }

    @Test
    void decayIsDecoupledFromTheMoments() {
        float[] p = {2f};
        float[] q = {2f};
        AdamW adam = new AdamW(new float[][] {p, q}, new boolean[] {true, false}, HYPER);
        for (int i = 0; i < 3; i++) adam.step(new float[][] {{0f}, {0f}}, LR);
        // zero gradient: m = v = 0, so only the decay moves p, by the factor (1 - lr lambda) per step
        assertEquals(2 * Math.pow(1 - LR * 0.01, 3), p[0], 1e-6);
        assertEquals(2f, q[0]);
    }

    @Test
    void clippingScalesTheGlobalNormDown() {
        float[][] g = {{3f}, {0f, 4f}};
        assertEquals(5.0, AdamW.clipGlobalNorm(g, 1.0), 1e-12);
        assertArrayEquals(new float[] {0.6f}, g[0], 1e-7f);
        assertArrayEquals(new float[] {0f, 0.8f}, g[1], 1e-7f);
        assertEquals(1.0, AdamW.globalNorm(g), 1e-6);

        float[][] small = {{0.3f, 0.4f}};
        assertEquals(0.5, AdamW.clipGlobalNorm(small, 1.0), 1e-7);
        assertArrayEquals(new float[] {0.3f, 0.4f}, small[0]);
    }

    @Test
    void badArgumentsAreNamed() {
        assertThrows(IllegalArgumentException.class, () -> new AdamW.Hyper(1.0, 0.9, 1e-8, 0));
        assertThrows(IllegalArgumentException.class, () -> new AdamW.Hyper(0.9, 0.9, 0, 0));
        AdamW adam = new AdamW(new float[][] {{1f}}, new boolean[] {true}, HYPER);
        assertThrows(IllegalArgumentException.class, () -> adam.step(new float[][] {{1f, 2f}}, LR));
        assertThrows(IllegalArgumentException.class, () -> adam.step(new float[][] {{1f}}, -1));
    }

    @Test
    void warmupThenCosineToTheFloor() {
        WarmupCosine s = new WarmupCosine(1.0, 0.1, 2, 6);
        assertEquals(0.5, s.rate(0), 1e-12);
        assertEquals(1.0, s.rate(1), 1e-12);
        assertEquals(1.0, s.rate(2), 1e-12);
        assertEquals(0.1 + 0.45 * (1 + Math.cos(Math.PI / 3)), s.rate(3), 1e-12);
        assertEquals(0.1, s.rate(5), 1e-12);
        assertEquals(1.0, new WarmupCosine(1.0, 0.1, 0, 5).rate(0), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new WarmupCosine(1.0, 2.0, 0, 5));
        assertThrows(IllegalArgumentException.class, () -> new WarmupCosine(1.0, 0.1, 6, 5));
    }
}
