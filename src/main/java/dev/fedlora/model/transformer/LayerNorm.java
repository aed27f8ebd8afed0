package dev.fedlora.model.transformer;

/**
 * LayerNorm over each row of width d:
 * <pre>
 *   mean = (1/d) sum_j x_j,   rstd = 1 / sqrt((1/d) sum_j (x_j - mean)^2 + eps),   eps = 1e-5
 *   xhat_j = (x_j - mean) rstd,   y_j = xhat_j gain_j + bias_j
 * </pre>
 * and its gradient, with {@code g_j = dy_j gain_j}:
 * <pre>
 *   dx_j = rstd (g_j - mean_k g_k - xhat_j mean_k (g_k xhat_k)),
 *   dgain_j = sum_rows dy_j xhat_j,   dbias_j = sum_rows dy_j.
 * </pre>
 * Sums run in double; the row's mean and rstd are kept as floats, and xhat is computed from
 * them the same way forward and backward.
 */
final class LayerNorm {
    static final float EPS = 1e-5f;

    private LayerNorm() {}

    static void forward(float[] x, float[] y, float[] mean, float[] rstd, float[] gain, float[] bias, int rows, int d) {
        for (int r = 0; r < rows; r++) {
            int off = r * d;
            double sum = 0;
            for (int j = 0; j < d; j++) sum += x[off + j];
            float mu = (float) (sum / d);
            double sq = 0;
            for (int j = 0; j < d; j++) {
                double c = x[off + j] - mu;
                sq += c * c;
            }
            float rs = (float) (1.0 / Math.sqrt(sq / d + EPS));
            mean[r] = mu;
            rstd[r] = rs;
            for (int j = 0; j < d; j++) y[off + j] = (x[off + j] - mu) * rs * gain[j] + bias[j];
        }
    }

    /**
     * Adds each row's input gradient into {@code dx}; adds into {@code dGain}, {@code dBias}
     * unless they are null.
     */
    static void backward(float[] dy, float[] x, float[] mean, float[] rstd, float[] gain, float[] dx,
                         float[] dGain, float[] dBias, int rows, int d) {
        for (int r = 0; r < rows; r++) {
            int off = r * d;
            float mu = mean[r], rs = rstd[r];
            double sumG = 0, sumGx = 0;
            for (int j = 0; j < d; j++) {
                float xhat = (x[off + j] - mu) * rs;
                double g = (double) dy[off + j] * gain[j];
                sumG += g;
                sumGx += g * xhat;
            }
            double meanG = sumG / d, meanGx = sumGx / d;
            for (int j = 0; j < d; j++) {
                float xhat = (x[off + j] - mu) * rs;
                double g = (double) dy[off + j] * gain[j];
                dx[off + j] += (float) (rs * (g - meanG - xhat * meanGx));
                if (dGain != null) {
                    dGain[j] += dy[off + j] * xhat;
                    dBias[j] += dy[off + j];
                }
            }
        }
    }
}
