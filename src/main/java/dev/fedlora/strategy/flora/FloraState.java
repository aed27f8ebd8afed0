package dev.fedlora.strategy.flora;

import dev.fedlora.model.BaseDelta;
import dev.fedlora.model.AdapterLayout;
import dev.fedlora.model.LoraTarget;
import java.io.Serializable;

/**
 * FLoRA's server state: what has been merged into the frozen base so far,
 * {@code D_t = s sum_rounds B_stack A_stack} per LoRA target (out x in, row-major, as a
 * {@link BaseDelta} that the round's download carries), the last round's stacked module, and per
 * target the values of every stack merged so far (for the download's byte count).
 * {@link #EMPTY} before the first merge.
 */
public final class FloraState implements Serializable {
    private static final long serialVersionUID = 2L;
    public static final FloraState EMPTY = new FloraState(BaseDelta.NONE, null, new long[0]);

    private final BaseDelta merged;
    private final StackedModule lastStack;
    /** Per target (by index), the values of every stack merged so far: {@code sum_rounds slots (in + out)}. */
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
        AdapterLayout layout = stack.layout();
        long[] stacked = new long[layout.targets().size()];
        double[][] products = new double[layout.targets().size()][];
        for (LoraTarget t : layout.targets()) {
            int l = t.index();
            stacked[l] = (isEmpty() ? 0 : stackedValues[l]) + (long) stack.slots() * t.valuesPerRankSlot();
            products[l] = stack.product(t);
        }
        return new FloraState(merged.plus(layout, products, scale), stack, stacked);
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
     * LoRA target the cheaper of the dense merged delta {@code D_t} (out x in) and every stack
     * merged so far ({@code sum_rounds slots (in + out)}). A client may hold only the original base
     * (it may never have taken part, or not since the first round), and the server keeps nothing per
     * client, so every client is charged for that case.
     */
    public long baseUpdateValues() {
        return isEmpty() ? 0 : BaseDelta.updateValues(lastStack.layout(), stackedValues);
    }
}
