package dev.fedlora.kernel;

import java.nio.FloatBuffer;
import java.util.IdentityHashMap;
import java.util.Map;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * {@link Gemm} on OpenBLAS's {@code cblas_sgemm} (the JavaCPP preset ND4J's CPU backend loads
 * too), single-threaded.
 *
 * <p>Threads: OpenBLAS's thread count is one setting for the whole process. Every new instance
 * sets it to 1, so that Spark's concurrent tasks each use one core and a product's result does
 * not depend on how many threads split it. ND4J's backend sets the same count when it starts
 * ({@code OMP_NUM_THREADS}, else the number of cores); create instances after ND4J has started,
 * or call {@link #pinSingleThread()} again.
 *
 * <p>Memory: for {@code float[]} operands only the spans the product touches are copied into
 * native staging buffers owned by this instance and grown on demand (C is copied in only when
 * {@code beta != 0} or its rows have gaps, and copied back), so a steady loop of same-sized
 * products allocates nothing. (JavaCPP's array overload would copy every whole array in and
 * out on each call.)
 * Direct buffers go to OpenBLAS in place: each instance keeps one pointer per (buffer,
 * argument) it has seen, so a steady loop over the same buffers allocates nothing; it holds those
 * buffers while it lives (keep an instance with the buffers it works on).
 * Not thread-safe: one instance per thread.
 */
public final class OpenBlasGemm implements Gemm {
    static {
        Loader.load(openblas_nolapack.class);
    }

    private FloatPointer stageA;
    private FloatPointer stageB;
    private FloatPointer stageC;
    private final Map<FloatBuffer, FloatPointer> pointersA = new IdentityHashMap<>();
    private final Map<FloatBuffer, FloatPointer> pointersB = new IdentityHashMap<>();
    private final Map<FloatBuffer, FloatPointer> pointersC = new IdentityHashMap<>();

    public OpenBlasGemm() {
        pinSingleThread();
    }

    /** Sets OpenBLAS (process-wide) to one thread. */
    public static void pinSingleThread() {
        openblas_nolapack.blas_set_num_threads(1);
    }

    /** OpenBLAS's current thread count (process-wide). */
    public static int threads() {
        return openblas_nolapack.blas_get_num_threads();
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc) {
        Gemm.checkArguments(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        if (m == 0 || n == 0) return;
        int ta = transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        int tb = transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        int spanA = transA ? Gemm.span(k, m, lda) : Gemm.span(m, k, lda);
        int spanB = transB ? Gemm.span(n, k, ldb) : Gemm.span(k, n, ldb);
        int spanC = Gemm.span(m, n, ldc);
        stageA = fit(stageA, spanA);
        stageB = fit(stageB, spanB);
        stageC = fit(stageC, spanC);
        if (spanA > 0) stageA.put(a, aOff, spanA);
        if (spanB > 0) stageB.put(b, bOff, spanB);
        // C is read when beta != 0, and when its rows have gaps (copied so they come back as they were).
        if (beta != 0f || ldc != n) stageC.put(c, cOff, spanC);
        openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, ta, tb, m, n, k,
                alpha, stageA, lda, stageB, ldb, beta, stageC, ldc);
        stageC.get(c, cOff, spanC);
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      FloatBuffer a, int aOff, int lda, FloatBuffer b, int bOff, int ldb,
                      float beta, FloatBuffer c, int cOff, int ldc) {
        Gemm.checkArguments(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        if (m == 0 || n == 0) return;
        openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor,
                transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans, m, n, k,
                alpha, at(pointersA, a, aOff), lda, at(pointersB, b, bOff), ldb, beta, at(pointersC, c, cOff), ldc);
    }

    @Override
    public void saxpy(int n, float alpha, FloatBuffer x, int xOff, FloatBuffer y, int yOff) {
        Gemm.checkAxpy(n, x, xOff, y, yOff);
        if (n == 0) return;
        openblas_nolapack.cblas_saxpy(n, alpha, at(pointersA, x, xOff), 1, at(pointersC, y, yOff), 1);
    }

    private static FloatPointer at(Map<FloatBuffer, FloatPointer> pointers, FloatBuffer buffer, int offset) {
        FloatPointer p = pointers.get(buffer);
        if (p == null) {
            p = new FloatPointer(buffer);
            p.position(0);
            pointers.put(buffer, p);
        }
        return p.position(offset);
    }

    private static FloatPointer fit(FloatPointer stage, int values) {
        long need = Math.max(1, values);
        if (stage == null) return new FloatPointer(need);
        long had = stage.capacity();
        if (had >= need) return stage;
        stage.close();
        return new FloatPointer(Math.max(need, 2 * had));
    }
}
