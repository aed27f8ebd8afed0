package dev.fedlora.strategy.fedex;

import dev.fedlora.model.Adapter;
import dev.fedlora.model.AdapterLayout;
import dev.fedlora.model.LoraTarget;
import dev.fedlora.strategy.Accumulator;
import dev.fedlora.strategy.ClientUpdate;
import dev.fedlora.strategy.LowRank;
import dev.fedlora.strategy.PaddedSum;

/**
 * FedEx-LoRA's fold: the sums by {@code n_k} of the factors and dense tensors, as FedAvg keeps them
 * ({@link PaddedSum}), and per LoRA target {@code sum_k n_k B_k A_k} (out x in, row-major, in
 * double).
 */
final class ExactSum implements Accumulator<Adapter, ExactSum> {
    private static final long serialVersionUID = 1L;

    final AdapterLayout layout;
    final PaddedSum factors;
    final double[][] product;

    ExactSum(AdapterLayout layout, int maxRank) {
        this.layout = layout;
        factors = new PaddedSum(layout, maxRank);
        product = new double[layout.targets().size()][];
        for (LoraTarget t : layout.targets()) product[t.index()] = new double[t.out() * t.in()];
    }

    @Override
    public void add(ClientUpdate<? extends Adapter> update) {
        factors.add(update);
        Adapter p = update.payload();
        for (LoraTarget t : layout.targets()) {
            LowRank.addProduct(product[t.index()], p.b(t), p.a(t), t.out(), p.rank, t.in(), update.numExamples());
        }
    }

    @Override
    public void merge(ExactSum o) {
        factors.merge(o.factors);
        for (int l = 0; l < product.length; l++) {
            for (int i = 0; i < product[l].length; i++) product[l][i] += o.product[l][i];
        }
    }

    @Override
    public int count() {
        return factors.count();
    }

    /** {@code sum_k w_k A_k}, {@code sum_k w_k B_k} and the dense means, {@code w_k = n_k / sum_j n_j}; the layout of {@code previous}. */
    Adapter average(Adapter previous) {
        return factors.average((target, slot) -> factors.totalWeight(), previous);
    }

    /** Target {@code t}'s {@code sum_k w_k B_k A_k - B A} for the averaged {@code B A} of {@code mean}. */
    double[] residual(LoraTarget t, Adapter mean) {
        double[] r = product[t.index()].clone();
        double total = factors.totalWeight();
        for (int i = 0; i < r.length; i++) r[i] /= total;
        LowRank.addProduct(r, mean.b(t), mean.a(t), t.out(), mean.rank, t.in(), -1);
        return r;
    }
}
