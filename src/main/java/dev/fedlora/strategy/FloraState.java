package dev.fedlora.strategy;

import dev.fedlora.model.BaseDelta;
import dev.fedlora.model.ModelShape;
import java.io.Serializable;

/**
 * FLoRA's server state: what has been merged into the frozen base so far,
 * {@code D_l = s sum_rounds B_stack A_stack} per adapted layer (out x in, row-major, as a
 * {@link BaseDelta} that the round's download carries), the last round's stacked module, and per
 * layer the values of every stack merged so far (for the download's byte count).
 * {@link #EMPTY} before the first merge.
 */
public final class FloraState implements Serializable {
    private static final long serialVersionUID = 2L;
    public static final FloraState EMPTY = new FloraState(BaseDelta.NONE, null, new long[0]);

    private final BaseDelta merged;
    private final StackedModule lastStack;
    /** Per adapted layer, the values of every stack merged so far: {@code sum_rounds slots (in + out)}. */
    private final long[] stackedValues;

    private FloraState(BaseDelta merged, StackedModule lastStack, long[] stackedValues) {
        this.merged = merged;
        this.lastStack = lastStack;
        this.stackedValues = stackedValues;
    }

    boolean isEmpty() {
        return lastStack == null;
    }

    /** The state after merging {@code s * B_stack A_stack} into this one. */
    FloraState merge(StackedModule stack, float scale) {
        ModelShape shape = stack.shape();
        float[][] next = new float[shape.adaptedLayers()][];
        long[] stacked = new long[next.length];
        for (int l = 0; l < next.length; l++) {
            stacked[l] = (isEmpty() ? 0 : stackedValues[l]) + (long) stack.slots() * (shape.in(l) + shape.out(l));
            double[] product = stack.product(l);
            next[l] = isEmpty() ? new float[product.length] : merged.layer(l).clone();
            for (int i = 0; i < product.length; i++) next[l][i] = (float) (next[l][i] + scale * product[i]);
        }
        return new FloraState(new BaseDelta(next), stack, stacked);
    }

    public StackedModule lastStack() {
        return lastStack;
    }

    /** Everything merged into the base so far. */
    public BaseDelta merged() {
        return merged;
    }

    /**
     * Values a sampled client must download to bring a copy of the original base up to date: per
     * adapted layer the cheaper of the dense merged delta {@code D_l} (out x in) and every stack
     * merged so far ({@code sum_rounds slots (in + out)}). A client may hold only the original base
     * (it may never have taken part, or not since the first round), and the server keeps nothing per
     * client, so every client is charged for that case.
     */
    public long baseUpdateValues() {
        if (isEmpty()) return 0;
        ModelShape shape = lastStack.shape();
        long values = 0;
        for (int l = 0; l < stackedValues.length; l++) {
            values += Math.min((long) shape.out(l) * shape.in(l), stackedValues[l]);
        }
        return values;
    }
}
