package dev.fedlora.data;

import java.io.Serializable;

/**
 * A labelled image set held as raw unsigned bytes (one byte a pixel, one a label), the compact form
 * that is broadcast to executors once. Pixels are scaled to [0, 1] when copied into a batch.
 */
public final class LabeledImages implements Examples {
    private static final long serialVersionUID = 2L;

    private final String name;
    private final int size;
    private final int features;
    private final byte[] pixels;
    private final byte[] labels;
    private final int classes;

    /** With as many classes as the largest label says (largest + 1). */
    public LabeledImages(String name, int size, int features, byte[] pixels, byte[] labels) {
        this(name, size, features, pixels, labels, largestLabel(labels) + 1);
    }

    private static int largestLabel(byte[] labels) {
        int max = 0;
        for (byte l : labels) max = Math.max(max, l & 0xff);
        return max;
    }

    /**
     * @throws IllegalArgumentException if the array lengths disagree with {@code size} and
     *     {@code features}, or a label is outside [0, classes)
     */
    public LabeledImages(String name, int size, int features, byte[] pixels, byte[] labels, int classes) {
        if ((long) size * features != pixels.length) {
            throw new IllegalArgumentException(name + ": " + pixels.length + " pixel bytes, expected "
                    + size + " x " + features);
        }
        if (labels.length != size) {
            throw new IllegalArgumentException(name + ": " + labels.length + " labels for " + size + " images");
        }
        for (int i = 0; i < size; i++) {
            if ((labels[i] & 0xff) >= classes) {
                throw new IllegalArgumentException(name + ": label " + (labels[i] & 0xff) + " of example " + i
                        + " is outside [0, " + classes + ")");
            }
        }
        this.name = name;
        this.size = size;
        this.features = features;
        this.pixels = pixels;
        this.labels = labels;
        this.classes = classes;
    }

    @Override public String name() { return name; }
    @Override public int size() { return size; }
    @Override public int classes() { return classes; }
    public int features() { return features; }
    @Override public int label(int example) { return labels[example] & 0xff; }

    @Override
    public int[] labels() {
        int[] out = new int[size];
        for (int i = 0; i < size; i++) out[i] = labels[i] & 0xff;
        return out;
    }

    /** The same examples seen as a data set of {@code total} classes (e.g. a test set's, the training set's count). */
    public LabeledImages withClasses(int total) {
        return new LabeledImages(name, size, features, pixels, labels, total);
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
        return new LabeledImages(subsetName, idx.length, features, p, l, classes);
    }
}
