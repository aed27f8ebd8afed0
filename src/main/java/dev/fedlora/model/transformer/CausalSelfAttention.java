package dev.fedlora.model.transformer;

import dev.fedlora.kernel.Gemm;

/**
 * Multi-head causal self-attention on projected rows. Rows are {@code batch x T} positions of
 * width {@code d = heads * hd}; head {@code h} owns columns {@code [h hd, (h+1) hd)} of q, k, v
 * and y. For each sequence and head:
 * <pre>
 *   S = q k^T / sqrt(hd),   P_tu = exp(S_tu) / sum_{u' <= t} exp(S_tu')  for u <= t, else 0,
 *   y = P v
 * </pre>
 * Backward, given dy: {@code dP = dy v^T}, {@code dv = P^T dy},
 * {@code dS_tu = P_tu (dP_tu - sum_u' P_tu' dP_tu')}, {@code dq = dS k / sqrt(hd)},
 * {@code dk = dS^T q / sqrt(hd)}. Masked entries have {@code P = 0}, hence {@code dS = 0}: a
 * position never sees, nor sends gradient to, a later one.
 */
final class CausalSelfAttention {
    private CausalSelfAttention() {}

    /**
     * @param prob batch x heads x T x T, the probabilities kept for backward
     * @param fastMath the softmax's exps in float ({@link FastExp}, {@code model.fast-math})
     */
    static void forward(Gemm gemm, float[] q, float[] k, float[] v, float[] prob, float[] y,
                        int batch, int T, int heads, int hd, boolean fastMath) {
        int d = heads * hd;
        float scale = (float) (1.0 / Math.sqrt(hd));
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                int rowOff = b * T * d + h * hd;
                int pOff = (b * heads + h) * T * T;
                gemm.sgemm(false, true, T, T, hd, scale, q, rowOff, d, k, rowOff, d, 0f, prob, pOff, T);
                for (int t = 0; t < T; t++) softmaxCausalRow(prob, pOff + t * T, t, T, fastMath);
                gemm.sgemm(false, false, T, hd, T, 1f, prob, pOff, T, v, rowOff, d, 0f, y, rowOff, d);
            }
        }
    }

    private static void softmaxCausalRow(float[] p, int off, int t, int T, boolean fastMath) {
        float max = Float.NEGATIVE_INFINITY;
        for (int u = 0; u <= t; u++) max = Math.max(max, p[off + u]);
        double sum = 0;
        for (int u = 0; u <= t; u++) {
            float e = fastMath ? FastExp.exp(p[off + u] - max) : (float) Math.exp(p[off + u] - max);
            p[off + u] = e;
            sum += e;
        }
        float inv = (float) (1.0 / sum);
        for (int u = 0; u <= t; u++) p[off + u] *= inv;
        for (int u = t + 1; u < T; u++) p[off + u] = 0f;
    }

    /**
     * Writes dq, dk, dv (overwriting them).
     * @param scratch at least T x T values
     */
    static void backward(Gemm gemm, float[] q, float[] k, float[] v, float[] prob, float[] dy,
                         float[] dq, float[] dk, float[] dv, float[] scratch, int batch, int T, int heads, int hd) {
        int d = heads * hd;
        float scale = (float) (1.0 / Math.sqrt(hd));
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                int rowOff = b * T * d + h * hd;
                int pOff = (b * heads + h) * T * T;
                gemm.sgemm(false, true, T, T, hd, 1f, dy, rowOff, d, v, rowOff, d, 0f, scratch, 0, T);
                gemm.sgemm(true, false, T, hd, T, 1f, prob, pOff, T, dy, rowOff, d, 0f, dv, rowOff, d);
                for (int t = 0; t < T; t++) {
                    int r = t * T;
                    double dot = 0;
                    for (int u = 0; u <= t; u++) dot += (double) prob[pOff + r + u] * scratch[r + u];
                    for (int u = 0; u <= t; u++) scratch[r + u] = (float) (prob[pOff + r + u] * (scratch[r + u] - dot));
                    for (int u = t + 1; u < T; u++) scratch[r + u] = 0f;
                }
                gemm.sgemm(false, false, T, hd, T, scale, scratch, 0, T, k, rowOff, d, 0f, dq, rowOff, d);
                gemm.sgemm(true, false, T, hd, T, scale, scratch, 0, T, q, rowOff, d, 0f, dk, rowOff, d);
            }
        }
    }
}
