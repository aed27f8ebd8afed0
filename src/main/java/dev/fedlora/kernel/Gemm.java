package dev.fedlora.kernel;

/**
 * The dense product the models need, on row-major {@code float[]} storage:
 * <pre>
 *   C = alpha op(A) op(B) + beta C,    op(X) = X or X^T,
 *   op(A) is m x k, op(B) is k x n, C is m x n.
 * </pre>
 * Matrix {@code X} with leading dimension {@code ldx} starting at {@code xOff} holds element
 * {@code (i, j)} at {@code x[xOff + i * ldx + j]}; A as stored is m x k ({@code transA} false)
 * or k x m ({@code transA} true), likewise B is k x n or n x k. As in BLAS, {@code beta = 0}
 * overwrites C without reading it (NaN in C does not propagate).
 *
 * <p>An implementation is not required to be thread-safe: use one instance per thread. Results
 * must be deterministic: the same inputs give the same bits on every call.
 */
public interface Gemm {

    void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
               float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
               float beta, float[] c, int cOff, int ldc);

    /**
     * Checks the arguments of {@link #sgemm}, so that no implementation reads or writes outside
     * an array (a native one would crash the JVM).
     *
     * @throws IllegalArgumentException naming the first argument that is out of range
     */
    static void checkArguments(boolean transA, boolean transB, int m, int n, int k,
                               float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                               float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm sizes must be >= 0, found m=" + m + " n=" + n + " k=" + k);
        }
        checkMatrix("A", a, aOff, lda, transA ? k : m, transA ? m : k);
        checkMatrix("B", b, bOff, ldb, transB ? n : k, transB ? k : n);
        checkMatrix("C", c, cOff, ldc, m, n);
    }

    private static void checkMatrix(String name, float[] x, int off, int ld, int rows, int cols) {
        if (x == null) throw new IllegalArgumentException("gemm matrix " + name + " is null");
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException("gemm leading dimension of " + name + " must be >= "
                    + Math.max(1, cols) + " (its stored columns), found " + ld);
        }
        if (off < 0) throw new IllegalArgumentException("gemm offset of " + name + " must be >= 0, found " + off);
        long end = rows == 0 || cols == 0 ? off : off + (long) (rows - 1) * ld + cols;
        if (end > x.length) {
            throw new IllegalArgumentException("gemm matrix " + name + " (" + rows + " x " + cols + ", offset "
                    + off + ", leading dimension " + ld + ") needs " + end + " values, its array has " + x.length);
        }
    }

    /** Number of values a stored rows x cols matrix with leading dimension ld spans. */
    static int span(int rows, int cols, int ld) {
        return rows == 0 || cols == 0 ? 0 : (rows - 1) * ld + cols;
    }
}
