package dev.fedlora.strategy;

import dev.fedlora.model.ModelShape;
import java.io.Serializable;

/**
 * FLoRA's stacked LoRA module of one round, per adapted layer {@code l}: the clients' factors side
 * by side in client-id order, {@code A_stack = [w_1 A_1; w_2 A_2; ...]} ({@code slots} x in) and
 * {@code B_stack = [B_1, B_2, ...]} (out x {@code slots}), {@code slots = sum_k r_k}, so that
 * {@code B_stack A_stack = sum_k w_k B_k A_k}.
 */
public record StackedModule(ModelShape shape, int slots, float[][] a, float[][] b) implements Serializable {
    /** {@code B_stack A_stack} of layer {@code layer}, out x in, row-major. */
    public double[] product(int layer) {
        double[] p = new double[shape.out(layer) * shape.in(layer)];
        LowRank.addProduct(p, b[layer], a[layer], shape.out(layer), slots, shape.in(layer), 1);
        return p;
    }
}
