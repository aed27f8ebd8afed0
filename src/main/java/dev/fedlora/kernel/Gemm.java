package dev.fedlora.kernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

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
 * <p>The same product runs on direct {@link FloatBuffer}s ({@link #allocate}): native memory a
 * native implementation reads in place, with no copy, which is what a training loop of small
 * products wants. Offsets count floats from index 0 of a buffer (its position and limit are
 * ignored). {@link #saxpy} is the one level-1 routine the optimisers need, on the same storage.
 *
 * <p>An implementation is not required to be thread-safe: use one instance per thread. Results
 * must be deterministic: the same inputs give the same bits on every call.
 */
public interface Gemm {

    void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
               float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
               float beta, float[] c, int cOff, int ldc);

    /** {@link #sgemm(boolean, boolean, int, int, int, float, float[], int, int, float[], int, int, float, float[], int, int)} on direct buffers. */
    void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
               FloatBuffer a, int aOff, int lda, FloatBuffer b, int bOff, int ldb,
               float beta, FloatBuffer c, int cOff, int ldc);

    /** {@code y[yOff + i] += alpha * x[xOff + i]} for {@code i < n}, on direct buffers (BLAS saxpy). */
    void saxpy(int n, float alpha, FloatBuffer x, int xOff, FloatBuffer y, int yOff);

    /** A zeroed direct buffer of {@code values} floats in native byte order, for the buffer overloads. */
    static FloatBuffer allocate(int values) {
        return ByteBuffer.allocateDirect(Math.multiplyExact(4, Math.max(1, values)))
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /**
     * Checks the arguments of {@link #sgemm}, so that no implementation reads or writes outside
     * an array (a native one would crash the JVM).
     *
     * @throws IllegalArgumentException naming the first argument that is out of range
     */
    static void checkArguments(boolean transA, boolean transB, int m, int n, int k,
                               float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                               float[] c, int cOff, int ldc) {
        if (a == null || b == null || c == null) throw new IllegalArgumentException(nullName(a, b) + " is null");
        checkSizes(m, n, k);
        checkMatrix("A", "array", a.length, aOff, lda, transA ? k : m, transA ? m : k);
        checkMatrix("B", "array", b.length, bOff, ldb, transB ? n : k, transB ? k : n);
        checkMatrix("C", "array", c.length, cOff, ldc, m, n);
    }

    /** {@link #checkArguments} for the buffer overload; also that every buffer is direct. */
    static void checkArguments(boolean transA, boolean transB, int m, int n, int k,
                               FloatBuffer a, int aOff, int lda, FloatBuffer b, int bOff, int ldb,
                               FloatBuffer c, int cOff, int ldc) {
        if (a == null || b == null || c == null) throw new IllegalArgumentException(nullName(a, b) + " is null");
        if (!a.isDirect() || !b.isDirect() || !c.isDirect()) {
            throw new IllegalArgumentException("gemm buffers must be direct (Gemm.allocate)");
        }
        checkSizes(m, n, k);
        checkMatrix("A", "buffer", a.capacity(), aOff, lda, transA ? k : m, transA ? m : k);
        checkMatrix("B", "buffer", b.capacity(), bOff, ldb, transB ? n : k, transB ? k : n);
        checkMatrix("C", "buffer", c.capacity(), cOff, ldc, m, n);
    }

    /** Checks the arguments of {@link #saxpy}. */
    static void checkAxpy(int n, FloatBuffer x, int xOff, FloatBuffer y, int yOff) {
        if (x == null || y == null) throw new IllegalArgumentException("saxpy vector " + (x == null ? "x" : "y") + " is null");
        if (!x.isDirect() || !y.isDirect()) throw new IllegalArgumentException("saxpy buffers must be direct (Gemm.allocate)");
        if (n < 0 || xOff < 0 || yOff < 0) {
            throw new IllegalArgumentException("saxpy n and offsets must be >= 0, found n=" + n + " xOff=" + xOff + " yOff=" + yOff);
        }
        if ((long) xOff + n > x.capacity() || (long) yOff + n > y.capacity()) {
            throw new IllegalArgumentException("saxpy of " + n + " values at offsets " + xOff + ", " + yOff
                    + " overruns buffers of " + x.capacity() + " and " + y.capacity());
        }
    }

    private static String nullName(Object a, Object b) {
        return "gemm matrix " + (a == null ? "A" : b == null ? "B" : "C");
    }

    private static void checkSizes(int m, int n, int k) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm sizes must be >= 0, found m=" + m + " n=" + n + " k=" + k);
        }
    }

    private static void checkMatrix(String name, String storage, int length, int off, int ld, int rows, int cols) {
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException("gemm leading dimension of " + name + " must be >= "
                    + Math.max(1, cols) + " (its stored columns), found " + ld);
        }
        if (off < 0) throw new IllegalArgumentException("gemm offset of " + name + " must be >= 0, found " + off);
        long end = rows == 0 || cols == 0 ? off : off + (long) (rows - 1) * ld + cols;
        if (end > length) {
            throw new IllegalArgumentException("gemm matrix " + name + " (" + rows + " x " + cols + ", offset "
                    + off + ", leading dimension " + ld + ") needs " + end + " values, its " + storage + " has " + length);
        }
    }

    /** Number of values a stored rows x cols matrix with leading dimension ld spans. */
    static int span(int rows, int cols, int ld) {
        return rows == 0 || cols == 0 ? 0 : (rows - 1) * ld + cols;
    }
}
