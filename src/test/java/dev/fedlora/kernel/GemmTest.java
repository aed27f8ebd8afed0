package dev.fedlora.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** OpenBLAS against the plain-Java reference, over every transpose, offset and scaling case. */
class GemmTest {
    private final Gemm blas = new OpenBlasGemm();
    private final Gemm reference = new ReferenceGemm();

    @Test
    void everyTransposeOffsetAndScalingAgreesWithTheReference() {
        SplittableRandom rng = new SplittableRandom(7);
        int[][] sizes = {{1, 1, 1}, {3, 5, 4}, {7, 2, 9}, {16, 33, 8}, {5, 6, 0}};
        float[][] scalings = {{1f, 0f}, {0.5f, 1f}, {-2f, 0.25f}};
        for (int[] s : sizes) {
            for (int mode = 0; mode < 4; mode++) {
                for (float[] ab : scalings) {
                    for (int off = 0; off <= 3; off += 3) {
                        check(rng, mode >= 2, (mode & 1) == 1, s[0], s[1], s[2], ab[0], ab[1], off);
                    }
                }
            }
        }
    }

    private void check(SplittableRandom rng, boolean ta, boolean tb, int m, int n, int k,
                       float alpha, float beta, int off) {
        int pad = off == 0 ? 0 : 2; // leading dimensions wider than the stored columns
        int lda = (ta ? m : k) + pad, ldb = (tb ? k : n) + pad, ldc = n + pad;
        float[] a = random(rng, off + (ta ? k : m) * Math.max(1, lda) + 1);
        float[] b = random(rng, off + (tb ? n : k) * Math.max(1, ldb) + 1);
        float[] c = random(rng, off + m * ldc + 1);
        float[] expected = c.clone();
        float[] actual = c.clone();
        reference.sgemm(ta, tb, m, n, k, alpha, a, off, Math.max(1, lda), b, off, Math.max(1, ldb), beta, expected, off, ldc);
        blas.sgemm(ta, tb, m, n, k, alpha, a, off, Math.max(1, lda), b, off, Math.max(1, ldb), beta, actual, off, ldc);
        String what = "transA=" + ta + " transB=" + tb + " m=" + m + " n=" + n + " k=" + k
                + " alpha=" + alpha + " beta=" + beta + " offset=" + off;
        for (int i = 0; i < c.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5f * (1 + Math.abs(expected[i]) + k), what + " value " + i);
        }
    }

    @Test
    void theBufferOverloadGivesTheArrayOverloadsBitsAtEveryOffset() {
        SplittableRandom rng = new SplittableRandom(11);
        int[][] sizes = {{1, 1, 1}, {3, 5, 4}, {32, 16, 256}, {16, 33, 8}};
        for (int[] s : sizes) {
            for (int mode = 0; mode < 4; mode++) {
                boolean ta = mode >= 2, tb = (mode & 1) == 1;
                int m = s[0], n = s[1], k = s[2];
                int lda = (ta ? m : k) + 1, ldb = (tb ? k : n) + 2, ldc = n + 3;
                int offA = 5, offB = 2, offC = 7;
                float[] a = random(rng, offA + (ta ? k : m) * lda);
                float[] b = random(rng, offB + (tb ? n : k) * ldb);
                float[] c = random(rng, offC + m * ldc);
                float[] expected = c.clone();
                blas.sgemm(ta, tb, m, n, k, 0.5f, a, offA, lda, b, offB, ldb, 1f, expected, offC, ldc);
                FloatBuffer ba = buffer(a), bb = buffer(b), bc = buffer(c);
                // Twice through the same instance: the pointers it keeps must not remember an earlier offset.
                blas.sgemm(ta, tb, 1, 1, 1, 1f, ba, 0, 1, bb, 0, 1, 0f, Gemm.allocate(1), 0, 1);
                blas.sgemm(ta, tb, m, n, k, 0.5f, ba, offA, lda, bb, offB, ldb, 1f, bc, offC, ldc);
                float[] actual = new float[c.length];
                bc.get(0, actual);
                assertArrayEquals(expected, actual, "buffer overload, mode " + mode + " " + Arrays.toString(s));
                FloatBuffer rc = buffer(c);
                reference.sgemm(ta, tb, m, n, k, 0.5f, ba, offA, lda, bb, offB, ldb, 1f, rc, offC, ldc);
                for (int i = 0; i < c.length; i++) assertEquals(expected[i], rc.get(i), 1e-5f * (1 + Math.abs(expected[i]) + k));
            }
        }
    }

    @Test
    void saxpyAddsAScaledVectorAtOffsets() {
        FloatBuffer x = buffer(new float[] {9, 1, 2, 3});
        FloatBuffer y = buffer(new float[] {10, 20, 30, 9, 9});
        blas.saxpy(3, 2f, x, 1, y, 0);
        assertArrayEquals(new float[] {12, 24, 36, 9, 9}, contents(y));
        reference.saxpy(3, -2f, x, 1, y, 0);
        assertArrayEquals(new float[] {10, 20, 30, 9, 9}, contents(y));
        assertThrows(IllegalArgumentException.class, () -> blas.saxpy(4, 1f, x, 1, y, 0));
        assertThrows(IllegalArgumentException.class, () -> blas.saxpy(1, 1f, FloatBuffer.allocate(1), 0, y, 0));
    }

    private static FloatBuffer buffer(float[] values) {
        FloatBuffer b = Gemm.allocate(values.length);
        b.put(0, values);
        return b;
    }

    private static float[] contents(FloatBuffer b) {
        float[] out = new float[b.capacity()];
        b.get(0, out);
        return out;
    }

    @Test
    void betaZeroOverwritesWithoutReadingAndKeepsTheGapsOfC() {
        float[] a = {1, 2, 3, 4};            // 2 x 2
        float[] b = {1, 0, 0, 1};            // identity
        for (Gemm g : new Gemm[] {blas, reference}) {
            float[] c = {Float.NaN, Float.NaN, 9, Float.NaN, Float.NaN, 9};  // 2 x 2 at ldc 3, gaps hold 9
            g.sgemm(false, false, 2, 2, 2, 1f, a, 0, 2, b, 0, 2, 0f, c, 0, 3);
            assertArrayEquals(new float[] {1, 2, 9, 3, 4, 9}, c, g.getClass().getSimpleName());
            float[] shifted = {5, Float.NaN, Float.NaN, 9, Float.NaN, Float.NaN};
            g.sgemm(false, false, 2, 2, 2, 1f, a, 0, 2, b, 0, 2, 0f, shifted, 1, 3);
            assertArrayEquals(new float[] {5, 1, 2, 9, 3, 4}, shifted, g.getClass().getSimpleName() + " offset");
        }
    }

    @Test
    void repeatedCallsGiveIdenticalBits() {
        SplittableRandom rng = new SplittableRandom(3);
        float[] a = random(rng, 32 * 64), b = random(rng, 48 * 64);
        float[] first = new float[32 * 48], again = new float[32 * 48];
        blas.sgemm(false, true, 32, 48, 64, 1f, a, 0, 64, b, 0, 64, 0f, first, 0, 48);
        for (int rep = 0; rep < 3; rep++) {
            blas.sgemm(false, true, 32, 48, 64, 1f, a, 0, 64, b, 0, 64, 0f, again, 0, 48);
            assertTrue(Arrays.equals(first, again), "repeat " + rep);
        }
    }

    @Test
    void openBlasRunsOneThread() {
        new OpenBlasGemm();
        assertEquals(1, OpenBlasGemm.threads());
    }

    @Test
    void outOfRangeArgumentsNameTheMatrix() {
        float[] small = new float[5];
        float[] ok = new float[16];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> blas.sgemm(false, false, 2, 2, 3, 1f, small, 0, 3, ok, 0, 2, 0f, ok, 0, 2));
        assertEquals("gemm matrix A (2 x 3, offset 0, leading dimension 3) needs 6 values, its array has 5", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> reference.sgemm(false, true, 2, 2, 3, 1f, ok, 0, 3, ok, 0, 2, 0f, ok, 0, 2));
        assertEquals("gemm leading dimension of B must be >= 3 (its stored columns), found 2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> blas.sgemm(false, false, 2, 2, 2, 1f, ok, 0, 2, ok, 0, 2, 0f, ok, 13, 2));
        assertFalse(e.getMessage().isEmpty());
        assertTrue(e.getMessage().startsWith("gemm matrix C"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> blas.sgemm(false, false, -1, 2, 2, 1f, ok, 0, 2, ok, 0, 2, 0f, ok, 0, 2));
        assertEquals("gemm sizes must be >= 0, found m=-1 n=2 k=2", e.getMessage());
    }

    private static float[] random(SplittableRandom rng, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (rng.nextDouble() * 2 - 1);
        return x;
    }
}
