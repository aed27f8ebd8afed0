package dev.fedlora.kernel;

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
}
