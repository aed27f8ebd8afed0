package dev.fedlora;

import dev.fedlora.data.LabeledImages;
import dev.fedlora.model.BaseMlp;
import dev.fedlora.model.Adapter;
import java.util.SplittableRandom;

/** Seeded random images and base models for tests that need real training but not real data. */
public final class SyntheticData {
    private SyntheticData() {}

    /** {@code size} images of uniformly random pixels with uniformly random labels in [0, 10). */
    public static LabeledImages images(int size, int features, SplittableRandom rng) {
        byte[] pixels = new byte[size * features];
        byte[] labels = new byte[size];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (byte) rng.nextInt(256);
        for (int i = 0; i < size; i++) labels[i] = (byte) rng.nextInt(10);
        return new LabeledImages("synthetic", size, features, pixels, labels);
    }

    /** An MLP of {@code sizes} with weights ~ N(0, 1/in) and biases ~ N(0, 0.01), so activations stay of order 1. */
    public static BaseMlp base(int[] sizes, SplittableRandom rng) {
        float[][] w = new float[sizes.length - 1][];
        float[][] b = new float[sizes.length - 1][];
        for (int l = 0; l < w.length; l++) {
            w[l] = gaussian(sizes[l] * sizes[l + 1], 1 / Math.sqrt(sizes[l]), rng);
            b[l] = gaussian(sizes[l + 1], 0.1, rng);
        }
        return new BaseMlp(sizes, w, b);
    }

    public static float[] gaussian(int n, double std, SplittableRandom rng) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (std * Adapter.gaussian(rng));
        return v;
    }

    /** The ids {@code from, from + 1, ..., to - 1}. */
    public static int[] range(int from, int to) {
        int[] ids = new int[to - from];
        for (int i = 0; i < ids.length; i++) ids[i] = from + i;
        return ids;
    }
}
