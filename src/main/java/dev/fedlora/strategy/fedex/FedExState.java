package dev.fedlora.strategy.fedex;

import dev.fedlora.model.AdapterLayout;
import dev.fedlora.model.BaseDelta;
import dev.fedlora.model.LoraTarget;
import java.io.Serializable;

/**
 * FedEx-LoRA's server state: what has been merged into the frozen base so far,
 * {@code D_t = s sum_rounds (sum_k w_k B_k A_k - B A)} per LoRA target (out x in, row-major, as a
 * {@link BaseDelta} that the round's download carries), and per target the values of the low-rank
 * factors of every residual merged so far (for the download's byte count). {@link #EMPTY} before the
 * first merge.
 */
public final class FedExState implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final FedExState EMPTY = new FedExState(null, BaseDelta.NONE, new long[0]);

    /** The adapter layout of the merged targets; null before the first merge. */
    private final AdapterLayout layout;
    private final BaseDelta merged;
    /** Per target (by index), {@code sum_rounds (K + 1) r (in + out)}. */
    private final long[] residualFactorValues;

    private FedExState(AdapterLayout layout, BaseDelta merged, long[] residualFactorValues) {
        this.layout = layout;
        this.merged = merged;
        this.residualFactorValues = residualFactorValues;
    }

    boolean isEmpty() {
        return layout == null;
    }

    /**
     * The state after merging {@code s * residual[t]} into each target's delta, where
     * {@code residual[t]} (out x in, by target index) is the residual of a round of {@code cohort}
     * clients at rank {@code rank}.
     */
    FedExState merge(AdapterLayout layout, double[][] residual, float scale, int cohort, int rank) {
        long[] factorValues = new long[layout.targets().size()];
        for (LoraTarget t : layout.targets()) {
            int l = t.index();
            factorValues[l] = (isEmpty() ? 0 : residualFactorValues[l]) + (long) (cohort + 1) * rank * t.valuesPerRankSlot();
        }
        return new FedExState(layout, merged.plus(layout, residual, scale), factorValues);
    }

    /** Everything merged into the base so far. */
    public BaseDelta merged() {
        return merged;
    }

    /**
     * Values a sampled client must download to bring a copy of the original base up to date: per
     * LoRA target the cheaper of the dense merged delta {@code D_t} (out x in) and the factors of
     * every residual merged so far ({@code sum_rounds (K + 1) r (in + out)}). As for FLoRA, the server
     * keeps nothing per client, so every client is charged as one that holds only the original base.
     */
    public long baseUpdateValues() {
        return isEmpty() ? 0 : BaseDelta.updateValues(layout, residualFactorValues);
    }
}
