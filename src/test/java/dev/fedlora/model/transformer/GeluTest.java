package dev.fedlora.model.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** GELU (tanh form) against GPT-2's formula and its derivative against finite differences. */
class GeluTest {
    private static final int N = 81;

    @Test
    void valuesAndSlopesOverMinusFiveToFive() {
        float[] x = new float[N], y = new float[N], dx = new float[N], ones = new float[N];
        for (int i = 0; i < N; i++) {
            x[i] = -5f + 10f * i / (N - 1);
            ones[i] = 1f;
        }
        Gelu.forward(x, y, N);
        Gelu.backward(x, ones, dx, N);
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
    void backwardScalesTheIncomingGradientAndMayRunInPlace() {
        float[] x = {-1.2f, 0.3f, 2.5f}, dy = {2f, -3f, 0.5f}, slope = new float[3], ones = {1f, 1f, 1f};
        Gelu.backward(x, ones, slope, 3);
        Gelu.backward(x, dy, dy, 3);
        for (int i = 0; i < 3; i++) assertEquals(slope[i] * new float[] {2f, -3f, 0.5f}[i], dy[i], 1e-6);
    }
}
