package dev.fedlora.bench;

import dev.fedlora.kernel.Gemm;
import dev.fedlora.kernel.OpenBlasGemm;
import java.nio.FloatBuffer;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * sgemm throughput, in FLOP/s, on a large square product and on a list of (M, N, K) products:
 * through ND4J ({@link #products}) and through {@link Gemm} on direct buffers, the path local
 * training takes ({@link #kernelProducts}); both end in the same OpenBLAS.
 */
final class GemmBench {
    private GemmBench() {}

    /** GFLOP/s of {@code C = A B} for n x n matrices, best of a few timed repetitions. */
    static double square(int n, int reps) {
        return products(List.of(new int[] {n, n, n}), reps);
    }

    /** GFLOP/s of running the given products back to back (each {@code M x K} times {@code K x N}). */
    static double products(List<int[]> shapes, int reps) {
        INDArray[][] abc = new INDArray[shapes.size()][];
        double flops = 0;
        for (int i = 0; i < shapes.size(); i++) {
            int[] s = shapes.get(i);
            abc[i] = new INDArray[] {Nd4j.rand(DataType.FLOAT, s[0], s[2]), Nd4j.rand(DataType.FLOAT, s[2], s[1]),
                    Nd4j.zeros(DataType.FLOAT, s[0], s[1])};
            flops += 2.0 * s[0] * s[1] * s[2];
        }
        int inner = (int) Math.max(1, Math.min(10_000, 2e9 / Math.max(flops, 1)));
        double best = Double.MAX_VALUE;
        for (int r = 0; r < reps + 1; r++) {
            long t0 = System.nanoTime();
            for (int k = 0; k < inner; k++) {
                for (INDArray[] m : abc) Nd4j.gemm(m[0], m[1], m[2], false, false, 1.0, 0.0);
            }
            long t = System.nanoTime() - t0;
            if (r > 0) best = Math.min(best, t);
        }
        return flops * inner / (best / 1e9);
    }

    /** FLOP/s of the given products back to back through a single-threaded {@link OpenBlasGemm} on direct buffers. */
    static double kernelProducts(List<int[]> shapes, int reps) {
        Gemm gemm = new OpenBlasGemm();
        FloatBuffer[][] abc = new FloatBuffer[shapes.size()][];
        java.util.SplittableRandom rng = new java.util.SplittableRandom(1);
        double flops = 0;
        for (int i = 0; i < shapes.size(); i++) {
            int[] s = shapes.get(i);
            abc[i] = new FloatBuffer[] {Gemm.allocate(s[0] * s[2]), Gemm.allocate(s[2] * s[1]), Gemm.allocate(s[0] * s[1])};
            for (int j = 0; j < 2; j++) {
                for (int v = 0; v < abc[i][j].capacity(); v++) abc[i][j].put(v, (float) rng.nextDouble());
            }
            flops += 2.0 * s[0] * s[1] * s[2];
        }
        int inner = (int) Math.max(1, Math.min(10_000, 2e9 / Math.max(flops, 1)));
        double best = Double.MAX_VALUE;
        for (int r = 0; r < reps + 1; r++) {
            long t0 = System.nanoTime();
            for (int k = 0; k < inner; k++) {
                for (int i = 0; i < abc.length; i++) {
                    int[] s = shapes.get(i);
                    gemm.sgemm(false, false, s[0], s[1], s[2], 1f, abc[i][0], 0, s[2], abc[i][1], 0, s[1], 0f, abc[i][2], 0, s[1]);
                }
            }
            long t = System.nanoTime() - t0;
            if (r > 0) best = Math.min(best, t);
        }
        return flops * inner / (best / 1e9);
    }

    static double flopsOf(List<int[]> shapes) {
        double f = 0;
        for (int[] s : shapes) f += 2.0 * s[0] * s[1] * s[2];
        return f;
    }
}
