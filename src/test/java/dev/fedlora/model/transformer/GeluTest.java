package dev.fedlora.model.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** GELU (tanh form) against GPT-2's formula and its derivative against finite differences. */
class GeluTest {
    private static final int N = 81;

    @Test
    void valuesAndSlopesOverMinusFiveToFive() {
        float[] x = new float[N], y = new float[N], t = new float[N], dx = new float[N], ones = new float[N];
        for (int i = 0; i < N; i++) {
            x[i] = -5f + 10f * i / (N - 1);
            ones[i] = 1f;
        }
        Gelu.forward(x, y, t, N);
        Gelu.backward(x, t, ones, dx, N);
        for (int i = 0; i < N; i++) {
            assertEquals(ReferenceTransformer.gelu(x[i]), y[i], 1e-6, "gelu(" + x[i] + ")");
            double h = 1e-3;
            double numeric = (ReferenceTransformer.gelu(x[i] + h) - ReferenceTransformer.gelu(x[i] - h)) / (2 * h);
            assertEquals(numeric, dx[i], 1e-5, "gelu'(" + x[i] + ")");
        }
        assertEquals(0f, y[N / 2], "gelu(0)");
        assertEquals(0.5f, dx[N / 2], 1e-7, "gelu'(0)");
    }

    @Test
    void itsTanhAgreesWithMathTanh() {
        for (double z = -30; z <= 30; z += 0.01) assertEquals(Math.tanh(z), Gelu.tanh(z), 1e-15, "tanh(" + z + ")");
        assertEquals(1.0, Gelu.tanh(400), "no overflow to NaN");
        assertEquals(-1.0, Gelu.tanh(-400));
    }

    @Test
    void backwardScalesTheIncomingGradientAndMayRunInPlace() {
        float[] x = {-1.2f, 0.3f, 2.5f}, dy = {2f, -3f, 0.5f}, slope = new float[3], ones = {1f, 1f, 1f};
        float[] y = new float[3], t = new float[3];
        Gelu.forward(x, y, t, 3);
        Gelu.backward(x, t, ones, slope, 3);
        Gelu.backward(x, t, dy, dy, 3);
        for (int i = 0; i < 3; i++) assertEquals(slope[i] * new float[] {2f, -3f, 0.5f}[i], dy[i], 1e-6);
    }
}
