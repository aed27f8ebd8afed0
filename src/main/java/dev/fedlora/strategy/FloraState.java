package dev.fedlora.strategy;

import dev.fedlora.model.BaseMlp;
import dev.fedlora.model.ModelShape;
import java.io.Serializable;

/**
 * FLoRA's server state: what has been merged into the frozen base so far,
 * {@code D_l = s sum_rounds B_stack A_stack} per adapted layer (out x in, row-major), and the last
 * round's stacked module (what the server sends next round). The merged base {@code W_l + D_l} is
 * built from the original on request and kept for that original, so the round's broadcast and
 * evaluation share one object.
 */
public final class FloraState implements Serializable {
    private static final long serialVersionUID = 1L;

    private final float[][] merged;
    private final StackedModule lastStack;
    /** Per adapted layer, the values of every stack merged so far: {@code sum_rounds slots (in + out)}. */
    private final long[] stackedValues;
    private transient BaseMlp cachedOriginal;
    private transient BaseMlp cachedMerged;

    private FloraState(float[][] merged, StackedModule lastStack, long[] stackedValues) {
        this.merged = merged;
        this.lastStack = lastStack;
        this.stackedValues = stackedValues;
    }

    /** The state held by {@code serverState}, or null before the first merge. */
    static FloraState of(Serializable serverState) {
        return serverState instanceof FloraState s ? s : null;
    }

    /** The state after merging {@code s * B_stack A_stack} into {@code previous} (null: nothing merged yet). */
    static FloraState merge(FloraState previous, StackedModule stack, float scale) {
        ModelShape shape = stack.shape();
        float[][] merged = new float[shape.adaptedLayers()][];
        long[] stacked = new long[merged.length];
        for (int l = 0; l < merged.length; l++) {
            stacked[l] = (previous == null ? 0 : previous.stackedValues[l])
                    + (long) stack.slots() * (shape.in(l) + shape.out(l));
            double[] product = stack.product(l);
            merged[l] = previous == null ? new float[product.length] : previous.merged[l].clone();
            for (int i = 0; i < product.length; i++) merged[l][i] = (float) (merged[l][i] + scale * product[i]);
        }
        return new FloraState(merged, stack, stacked);
    }

    /**
     * Values a sampled client must download to bring a copy of the original base up to date: per
     * adapted layer the cheaper of the dense merged delta {@code D_l} (out x in) and every stack
     * merged so far ({@code sum_rounds slots (in + out)}). A client may hold only the original base
     * (it may never have taken part, or not since the first round), and the server keeps nothing per
     * client, so every client is charged for that case.
     */
    public long baseUpdateValues() {
        ModelShape shape = lastStack.shape();
        long values = 0;
        for (int l = 0; l < merged.length; l++) {
            values += Math.min((long) shape.out(l) * shape.in(l), stackedValues[l]);
        }
        return values;
    }

    public StackedModule lastStack() {
        return lastStack;
    }

    /** {@code D_l}: everything merged into layer {@code layer} so far. */
    public float[] mergedInto(int layer) {
        return merged[layer].clone();
    }

    /**
     * {@code original} with {@code W_l + D_l} in its adapted layers; its other layers and biases are
     * shared with {@code original}.
     *
     * @throws IllegalArgumentException if {@code original}'s adapted layers do not have the merged shapes
     */
    public synchronized BaseMlp mergedBase(BaseMlp original) {
        if (original == cachedOriginal) return cachedMerged;
        int layers = original.layers();
        float[][] weights = new float[layers][];
        float[][] biases = new float[layers][];
        for (int l = 0; l < layers; l++) {
            float[] w = original.weight(l);
            biases[l] = original.bias(l);
            if (l >= merged.length) {
                weights[l] = w;
                continue;
            }
            if (w.length != merged[l].length) {
                throw new IllegalArgumentException("base layer " + l + " has " + w.length + " weights, the merged update "
                        + merged[l].length);
            }
            weights[l] = new float[w.length];
            for (int i = 0; i < w.length; i++) weights[l][i] = w[i] + merged[l][i];
        }
        cachedMerged = new BaseMlp(original.sizes(), weights, biases);
        cachedOriginal = original;
        return cachedMerged;
    }
}
