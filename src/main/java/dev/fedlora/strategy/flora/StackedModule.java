package dev.fedlora.strategy.flora;

import dev.fedlora.model.AdapterLayout;
import dev.fedlora.model.LoraTarget;
import dev.fedlora.strategy.LowRank;
import java.io.Serializable;

/**
 * FLoRA's stacked LoRA module of one round, per LoRA target {@code t} (arrays by target index): the clients' factors side
 * by side in client-id order, {@code A_stack = [w_1 A_1; w_2 A_2; ...]} ({@code slots} x in) and
 * {@code B_stack = [B_1, B_2, ...]} (out x {@code slots}), {@code slots = sum_k r_k}, so that
 * {@code B_stack A_stack = sum_k w_k B_k A_k}.
 */
public record StackedModule(AdapterLayout layout, int slots, float[][] a, float[][] b) implements Serializable {
    /** {@code B_stack A_stack} of target {@code t}, out x in, row-major. */
    public double[] product(LoraTarget t) {
        double[] p = new double[t.out() * t.in()];
        LowRank.addProduct(p, b[t.index()], a[t.index()], t.out(), slots, t.in(), 1);
        return p;
    }
}
