package dev.fedlora.model.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;

/** Tiny models, random inputs and comparisons shared by this package's tests. */
final class Fixtures {
    /** vocab 23, context 6, d 8, 2 heads, 2 layers, dFF 16. */
    static final TransformerConfig TINY = new TransformerConfig(23, 6, 8, 2, 2, 16);

    private Fixtures() {}

    /**
     * A base whose every value is random at a scale where gradients are far from zero: tensors
     * N(0, std^2), LayerNorm gains 1 + N(0, std^2).
     */
    static TransformerBase randomBase(TransformerConfig c, long seed, double std) {
        TransformerBase base = TransformerBase.zeros(c);
        SplittableRandom rng = new SplittableRandom(seed);
        for (String name : base.tensorNames()) {
            float[] t = base.tensor(name);
            TransformerBase.fillGaussian(t, std, rng);
            if (name.endsWith(".gain")) for (int i = 0; i < t.length; i++) t[i] += 1f;
        }
        return base;
    }

    /** An adapter with random A, B and head (B non-zero, so every factor has a gradient). */
    static TransformerLora randomLora(TransformerBase base, List<String> targets, int rank, float scale, int classes,
                                      long seed) {
        TransformerLora lora = TransformerLora.zeros(base, targets, rank, scale, classes);
        SplittableRandom rng = new SplittableRandom(seed);
        for (String t : lora.targets()) {
            TransformerBase.fillGaussian(lora.a(t), 0.4, rng);
            TransformerBase.fillGaussian(lora.b(t), 0.4, rng);
        }
        for (String name : lora.denseNames()) TransformerBase.fillGaussian(lora.dense(name), 0.4, rng);
        return lora;
    }

    static int[][] tokens(long seed, int batch, int seqLen, int vocab) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[][] t = new int[batch][seqLen];
        for (int[] row : t) for (int i = 0; i < seqLen; i++) row[i] = rng.nextInt(vocab);
        return t;
    }

    static int[] labels(long seed, int batch, int classes) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] y = new int[batch];
        for (int i = 0; i < batch; i++) y[i] = rng.nextInt(classes);
        return y;
    }

    static float[] random(SplittableRandom rng, int n, double std) {
        float[] x = new float[n];
        TransformerBase.fillGaussian(x, std, rng);
        return x;
    }

    /** Largest |expected - actual| relative to the largest |expected| (0 when both are zero). */
    static double relativeError(double[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, "length");
        double maxDiff = 0, scale = 0;
        for (int i = 0; i < expected.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(expected[i] - actual[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        return scale == 0 ? maxDiff : maxDiff / scale;
    }

    static double relativeError(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length, "length");
        double maxDiff = 0, scale = 0;
        for (int i = 0; i < expected.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(expected[i] - actual[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        return scale == 0 ? maxDiff : maxDiff / scale;
    }

    static void assertRelativeError(double[] expected, float[] actual, double tolerance, String what) {
        double err = relativeError(expected, actual);
        if (!(err <= tolerance)) throw new AssertionError(what + ": relative error " + err + " > " + tolerance);
    }

    static void assertSameBits(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                throw new AssertionError(what + ": value " + i + " is " + actual[i] + ", expected " + expected[i]);
            }
        }
    }

    static double[] toDouble(float[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = x[i];
        return y;
    }
}
