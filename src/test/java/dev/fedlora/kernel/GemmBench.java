package dev.fedlora.kernel;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Measures a 32x256 by 256x256 product ({@code C = X W^T}, a linear layer's forward on a batch of
 * 32) on OpenBLAS through {@link OpenBlasGemm} (both of its paths), on ND4J's {@code Nd4j.gemm}
 * over preallocated arrays, and on {@link ReferenceGemm}; one thread each. Prints the median of
 * several rounds. A main, not a test: run it by hand on an otherwise idle machine.
 */
public final class GemmBench {
    private static final int M = 32, N = 256, K = 256;

    public static void main(String[] args) {
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.getEnvironment().setMaxMasterThreads(1);
        OpenBlasGemm blas = new OpenBlasGemm(); // after ND4J's start, which sets OpenBLAS's threads too
        System.out.println("OpenBLAS threads: " + OpenBlasGemm.threads());
        SplittableRandom rng = new SplittableRandom(1);
        float[] x = random(rng, M * K), w = random(rng, N * K), c = new float[M * N];
        float[] xShift = new float[M * K + 1];
        System.arraycopy(x, 0, xShift, 1, x.length);
        INDArray nx = Nd4j.create(x, new long[] {M, K}, 'c');
        INDArray nw = Nd4j.create(w, new long[] {N, K}, 'c');
        INDArray nc = Nd4j.zeros(DataType.FLOAT, M, N);
        Gemm reference = new ReferenceGemm();
        Runnable[] cases = {
            () -> blas.sgemm(false, true, M, N, K, 1f, x, 0, K, w, 0, K, 0f, c, 0, N),
            () -> blas.sgemm(false, true, M, N, K, 1f, xShift, 1, K, w, 0, K, 0f, c, 0, N),
            () -> Nd4j.gemm(nx, nw, nc, false, true, 1.0, 0.0),
            () -> reference.sgemm(false, true, M, N, K, 1f, x, 0, K, w, 0, K, 0f, c, 0, N),
        };
        String[] names = {"OpenBlasGemm, arrays at offset 0", "OpenBlasGemm, staged (offset 1)",
            "ND4J Nd4j.gemm, preallocated", "ReferenceGemm (plain Java)"};
        int rounds = 7;
        double[][] us = new double[cases.length][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < cases.length; i++) us[i][r] = microsPerCall(cases[i], i == 3 ? 50 : 2000);
        }
        double flops = 2.0 * M * N * K;
        for (int i = 0; i < cases.length; i++) {
            double[] sorted = us[i].clone();
            Arrays.sort(sorted);
            double median = sorted[rounds / 2];
            System.out.printf("%-34s median %8.1f us/product  (min %.1f, max %.1f)  %5.1f GFLOP/s%n",
                    names[i], median, sorted[0], sorted[rounds - 1], flops / median / 1e3);
        }
    }

    private static double microsPerCall(Runnable f, int calls) {
        for (int i = 0; i < calls / 4; i++) f.run();
        long t0 = System.nanoTime();
        for (int i = 0; i < calls; i++) f.run();
        return (System.nanoTime() - t0) / 1e3 / calls;
    }

    private static float[] random(SplittableRandom rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) rng.nextGaussian();
        return v;
    }
}
