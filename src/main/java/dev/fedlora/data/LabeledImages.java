package dev.fedlora.data;

import java.io.Serializable;

/**
 * A labelled image set held as raw unsigned bytes (one byte a pixel, one a label), the compact form
 * that is broadcast to executors once. Pixels are scaled to [0, 1] when copied into a batch.
 */
public final class LabeledImages implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final int size;
    private final int features;
    private final byte[] pixels;
    private final byte[] labels;

    /**
     * @throws IllegalArgumentException if the array lengths disagree with {@code size} and
     *     {@code features}, or a label is outside [0, 10)
     */
    public LabeledImages(String name, int size, int features, byte[] pixels, byte[] labels) {
        if ((long) size * features != pixels.length) {
            throw new IllegalArgumentException(name + ": " + pixels.length + " pixel bytes, expected "
                    + size + " x " + features);
        }
        if (labels.length != size) {
            throw new IllegalArgumentException(name + ": " + labels.length + " labels for " + size + " images");
        }
        for (int i = 0; i < size; i++) {
            if (labels[i] < 0 || labels[i] >= NUM_CLASSES) {
                throw new IllegalArgumentException(name + ": label " + labels[i] + " of example " + i
                        + " is outside [0, " + NUM_CLASSES + ")");
            }
        }
        this.name = name;
        this.size = size;
        this.features = features;
        this.pixels = pixels;
        this.labels = labels;
    }

    public static final int NUM_CLASSES = 10;

    public String name() { return name; }
    public int size() { return size; }
    public int features() { return features; }
    public int label(int example) { return labels[example]; }

    /** All labels (a copy). */
    public int[] labels() {
        int[] out = new int[size];
        for (int i = 0; i < size; i++) out[i] = labels[i];
        return out;
    }

    /** Copies example {@code example} scaled to [0, 1] into {@code dst} at {@code offset}. */
    public void copyFeatures(int example, float[] dst, int offset) {
        int base = example * features;
        for (int j = 0; j < features; j++) {
            dst[offset + j] = (pixels[base + j] & 0xff) * (1f / 255f);
        }
    }

    /** The examples {@code idx[0..n)} as a row-major n x features matrix. */
    public float[] featureRows(int[] idx, int from, int n) {
        float[] out = new float[n * features];
        for (int i = 0; i < n; i++) copyFeatures(idx[from + i], out, i * features);
        return out;
    }

    /** A subset (by example indices) as its own image set. */
    public LabeledImages subset(String subsetName, int[] idx) {
        byte[] p = new byte[idx.length * features];
        byte[] l = new byte[idx.length];
        for (int i = 0; i < idx.length; i++) {
            System.arraycopy(pixels, idx[i] * features, p, i * features, features);
            l[i] = labels[idx[i]];
        }
        return new LabeledImages(subsetName, idx.length, features, p, l);
    }
}
