package dev.fedlora.model.transformer;

/**
 * GELU, GPT-2's tanh approximation:
 * {@code gelu(x) = x/2 (1 + tanh(c (x + 0.044715 x^3)))}, {@code c = sqrt(2/pi)}, with
 * derivative {@code (1 + t)/2 + x/2 (1 - t^2) c (1 + 3 * 0.044715 x^2)}, {@code t} the tanh.
 * Evaluated in double, stored as float.
 */
final class Gelu {
    private static final double C = Math.sqrt(2.0 / Math.PI);
    private static final double CUBIC = 0.044715;

    private Gelu() {}

    static void forward(float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            double v = x[i];
            y[i] = (float) (0.5 * v * (1.0 + Math.tanh(C * (v + CUBIC * v * v * v))));
        }
    }

    /** {@code dx = dy * gelu'(x)}; {@code dx} may be {@code dy}. */
    static void backward(float[] x, float[] dy, float[] dx, int n) {
        for (int i = 0; i < n; i++) {
            double v = x[i];
            double t = Math.tanh(C * (v + CUBIC * v * v * v));
            double slope = 0.5 * (1.0 + t) + 0.5 * v * (1.0 - t * t) * C * (1.0 + 3.0 * CUBIC * v * v);
            dx[i] = (float) (dy[i] * slope);
        }
    }
}
