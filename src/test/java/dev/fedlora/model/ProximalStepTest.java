package dev.fedlora.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * FedProx's local objective {@code L(theta) + mu/2 ||theta - theta_0||^2} (DESIGN.md §8): its
 * gradient is the task gradient plus {@code mu (theta - theta_0)}, so two steps from the anchor
 * follow, by hand, {@code p1 = p0 - lr g1} (the proximal term is 0 at the anchor) and
 * {@code p2 = p1 - lr (g2 + mu (p1 - p0))}, with {@code g1, g2} the task gradients the network
 * reports at {@code p0, p1}.
 */
class ProximalStepTest {
    private static final AdapterLayout SHAPE = dev.fedlora.model.MlpModel.layoutOf(7, 6, 5, 4);
    private static final int N = 5;

    private final SplittableRandom rng = new SplittableRandom(11);
    private final BaseMlp base = LoraNetworkTest.randomBase(new int[] {7, 6, 5, 9}, rng);
    private final Adapter start = LoraNetworkTest.randomParams(SHAPE, 3, rng);
    private final float[] x1 = LoraNetworkTest.gaussian(N * 7, 1.0, rng);
    private final float[] x2 = LoraNetworkTest.gaussian(N * 7, 1.0, rng);
    private final int[] y1 = {0, 3, 1, 2, 3};
    private final int[] y2 = {2, 2, 0, 1, 3};

    /** Two steps of SGD (momentum {@code m}) with the proximal weight {@code mu}; returns p0, g1, p1, g2, p2. */
    private float[][] twoSteps(double lr, double m, double mu, boolean trainA) {
        LoraNetwork net = dev.fedlora.model.MlpModel.of(base, SHAPE).network(3, 1.5f);
        net.load(start);
        net.anchorAtCurrent();
        float[] p0 = net.store().flatten();
        net.loadBatch(x1, y1, N);
        net.forwardBackward(N);
        float[] g1 = net.gradients().flatten();
        net.sgdStep(lr, m, trainA, mu);
        float[] p1 = net.store().flatten();
        net.loadBatch(x2, y2, N);
        net.forwardBackward(N);
        float[] g2 = net.gradients().flatten();
        net.sgdStep(lr, m, trainA, mu);
        return new float[][] {p0, g1, p1, g2, net.store().flatten()};
    }

    @Test
    void theProximalTermAddsMuTimesTheDistanceFromTheAnchorToTheGradient() {
        double lr = 0.3;
        double mu = 2.0;
        float[][] s = twoSteps(lr, 0, mu, true);
        float[] p0 = s[0], g1 = s[1], p1 = s[2], g2 = s[3], p2 = s[4];

        double largest = 0;
        for (int i = 0; i < p0.length; i++) {
            assertEquals(p0[i] - lr * g1[i], p1[i], 1e-6, "step 1, entry " + i + ": no pull at the anchor");
            double proximal = mu * ((double) p1[i] - p0[i]);
            largest = Math.max(largest, Math.abs(lr * proximal));
            assertEquals(p1[i] - lr * (g2[i] + proximal), p2[i], 1e-5, "step 2, entry " + i);
        }
        assertEquals(true, largest > 1e-2, "the pull is visible: " + largest);
    }

    @Test
    void withMomentumTheProximalGradientEntersTheVelocity() {
        double lr = 0.1;
        double m = 0.9;
        double mu = 0.5;
        float[][] s = twoSteps(lr, m, mu, true);
        float[] p0 = s[0], g1 = s[1], p1 = s[2], g2 = s[3], p2 = s[4];

        for (int i = 0; i < p0.length; i++) {
            double v1 = g1[i];
            double v2 = m * v1 + g2[i] + mu * ((double) p1[i] - p0[i]);
            assertEquals(p1[i] - lr * v2, p2[i], 1e-5, "entry " + i);
        }
    }

    @Test
    void zeroMuIsPlainSgdBitForBit() {
        LoraNetwork plain = dev.fedlora.model.MlpModel.of(base, SHAPE).network(3, 1.5f);
        plain.load(start);
        plain.loadBatch(x1, y1, N);
        plain.forwardBackward(N);
        plain.sgdStep(0.3, 0.9, true);
        plain.loadBatch(x2, y2, N);
        plain.forwardBackward(N);
        plain.sgdStep(0.3, 0.9, true);

        assertArrayEquals(plain.store().flatten(), twoSteps(0.3, 0.9, 0, true)[4]);
    }

    @Test
    void frozenFactorsStayFrozenUnderTheProximalTerm() {
        float[][] s = twoSteps(0.3, 0, 2.0, false);
        Adapter after = Adapter.unflatten(SHAPE, 3, s[4]);

        for (int l = 0; l < after.targets(); l++) assertArrayEquals(start.a(l), after.a(l), "A of layer " + l);
    }

    @Test
    void aProximalStepNeedsAnAnchor() {
        LoraNetwork net = dev.fedlora.model.MlpModel.of(base, SHAPE).network(3, 1.5f);
        net.load(start);
        net.loadBatch(x1, y1, N);
        net.forwardBackward(N);

        assertThrows(IllegalStateException.class, () -> net.sgdStep(0.1, 0, true, 1.0));
    }
}
