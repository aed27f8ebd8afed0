package dev.fedlora.model;

import java.io.Serializable;

/**
 * A frozen pretrained MLP: dense layers {@code W_l} (out x in, row-major) and biases {@code b_l},
 * ReLU between them. The last layer is the pretraining task's head; fine-tuning replaces it with a
 * new head of an {@link Adapter} and keeps the hidden layers frozen.
 */
public final class BaseMlp implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int[] sizes;
    private final float[][] weights;
    private final float[][] biases;

    public BaseMlp(int[] sizes, float[][] weights, float[][] biases) {
        if (weights.length != sizes.length - 1 || biases.length != sizes.length - 1) {
            throw new IllegalArgumentException("an MLP with sizes of length " + sizes.length + " needs "
                    + (sizes.length - 1) + " layers, found " + weights.length);
        }
        for (int l = 0; l < weights.length; l++) {
            if (weights[l].length != sizes[l] * sizes[l + 1] || biases[l].length != sizes[l + 1]) {
                throw new IllegalArgumentException("layer " + l + " has the wrong number of values for "
                        + sizes[l + 1] + " x " + sizes[l]);
            }
        }
        this.sizes = sizes.clone();
        this.weights = weights;
        this.biases = biases;
    }

    public int[] sizes() { return sizes.clone(); }
    public int layers() { return weights.length; }
    public float[] weight(int layer) { return weights[layer]; }
    public float[] bias(int layer) { return biases[layer]; }

    /** The shape of a fine-tuning model on this base: its hidden layers plus a new head of {@code classes}. */
    public MlpShape fineTuneShape(int classes) {
        int[] s = sizes.clone();
        s[s.length - 1] = classes;
        return new MlpShape(s);
    }
}
