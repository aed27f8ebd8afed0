package dev.fedlora.kernel;

import java.nio.FloatBuffer;

/**
 * {@link Gemm} in plain Java: each entry of {@code op(A) op(B)} is summed in double precision in
 * order {@code p = 0..k-1}, then {@code c = (float) (alpha * sum + beta * c)} (or
 * {@code (float) (alpha * sum)} when {@code beta = 0}). Slow; the reference the tests hold
 * faster implementations to. Stateless and thread-safe.
 */
public final class ReferenceGemm implements Gemm {

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc) {
        Gemm.checkArguments(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    float aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    float bpj = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    sum += (double) aip * bpj;
                }
                int at = cOff + i * ldc + j;
                c[at] = beta == 0f ? (float) (alpha * sum) : (float) (alpha * sum + (double) beta * c[at]);
            }
        }
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      FloatBuffer a, int aOff, int lda, FloatBuffer b, int bOff, int ldb,
                      float beta, FloatBuffer c, int cOff, int ldc) {
        Gemm.checkArguments(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    float aip = transA ? a.get(aOff + p * lda + i) : a.get(aOff + i * lda + p);
                    float bpj = transB ? b.get(bOff + j * ldb + p) : b.get(bOff + p * ldb + j);
                    sum += (double) aip * bpj;
                }
                int at = cOff + i * ldc + j;
                c.put(at, beta == 0f ? (float) (alpha * sum) : (float) (alpha * sum + (double) beta * c.get(at)));
            }
        }
    }

    /** {@code y = (float) (y + (double) alpha * x)}, entry by entry. */
    @Override
    public void saxpy(int n, float alpha, FloatBuffer x, int xOff, FloatBuffer y, int yOff) {
        Gemm.checkAxpy(n, x, xOff, y, yOff);
        for (int i = 0; i < n; i++) y.put(yOff + i, (float) (y.get(yOff + i) + (double) alpha * x.get(xOff + i)));
    }
}
