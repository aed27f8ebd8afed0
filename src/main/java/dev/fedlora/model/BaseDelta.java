package dev.fedlora.model;

import java.io.Serializable;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * What a strategy has merged into the frozen base so far (FLoRA): per adapted layer {@code l} a
 * dense out x in delta {@code D_l}, row-major, or nothing. {@link #applyTo} gives
 * {@code W_l + D_l}; the merged base is built once per (delta, original) pair in a JVM and shared
 * by every client and the evaluation there, and held only while both are.
 */
public final class BaseDelta implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final BaseDelta NONE = new BaseDelta(new float[0][]);

    private final float[][] perLayer;
    private transient Map<BaseMlp, BaseMlp> merged;

    /** @param perLayer the delta of each adapted layer (not copied) */
    public BaseDelta(float[][] perLayer) {
        this.perLayer = perLayer;
    }

    public boolean isNone() {
        return perLayer.length == 0;
    }

    /** {@code D_l}, not copied. */
    public float[] layer(int l) {
        return perLayer[l];
    }

    public int layers() {
        return perLayer.length;
    }

    /**
     * {@code original} with {@code W_l + D_l} in its adapted layers (other layers and biases shared);
     * {@code original} itself when there is no delta.
     *
     * @throws IllegalArgumentException if an adapted layer's size differs from its delta's
     */
    public synchronized BaseMlp applyTo(BaseMlp original) {
        if (isNone()) return original;
        if (merged == null) merged = new WeakHashMap<>();
        return merged.computeIfAbsent(original, this::merge);
    }

    private BaseMlp merge(BaseMlp original) {
        int layers = original.layers();
        float[][] weights = new float[layers][];
        float[][] biases = new float[layers][];
        for (int l = 0; l < layers; l++) {
            float[] w = original.weight(l);
            biases[l] = original.bias(l);
            if (l >= perLayer.length) {
                weights[l] = w;
                continue;
            }
            if (w.length != perLayer[l].length) {
                throw new IllegalArgumentException("base layer " + l + " has " + w.length + " weights, the merged update "
                        + perLayer[l].length);
            }
            weights[l] = new float[w.length];
            for (int i = 0; i < w.length; i++) weights[l][i] = w[i] + perLayer[l][i];
        }
        return new BaseMlp(original.sizes(), weights, biases);
    }
}
