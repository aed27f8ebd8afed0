package dev.fedlora.strategy.flexlora;

import dev.fedlora.model.Adapter;
import dev.fedlora.model.AdapterLayout;
import dev.fedlora.model.LoraTarget;
import dev.fedlora.strategy.Accumulator;
import dev.fedlora.strategy.ClientUpdate;
import dev.fedlora.strategy.DenseSum;
import dev.fedlora.strategy.LowRank;

/**
 * {@code sum_k n_k B_k A_k} per LoRA target (the full out x in products, in double), the dense
 * tensors' sum by {@code n_k}, and {@code sum_k n_k}. FlexLoRA's accumulator.
 */
final class ProductSum implements Accumulator<Adapter, ProductSum> {
    private static final long serialVersionUID = 1L;

    final AdapterLayout layout;
    final double[][] product;
    final DenseSum dense;
    int count;

    ProductSum(AdapterLayout layout) {
        this.layout = layout;
        product = new double[layout.targets().size()][];
        for (LoraTarget t : layout.targets()) product[t.index()] = new double[t.out() * t.in()];
        dense = new DenseSum(layout);
    }

    @Override
    public void add(ClientUpdate<? extends Adapter> update) {
        Adapter p = update.payload();
        double n = update.numExamples();
        for (LoraTarget t : layout.targets()) {
            LowRank.addProduct(product[t.index()], p.b(t), p.a(t), t.out(), p.rank, t.in(), n);
        }
        dense.add(p, n);
        count++;
    }

    @Override
    public void merge(ProductSum o) {
        for (int l = 0; l < product.length; l++) {
            for (int i = 0; i < product[l].length; i++) product[l][i] += o.product[l][i];
        }
        dense.merge(o.dense);
        count += o.count;
    }

    @Override
    public int count() {
        return count;
    }

    /** Target {@code t}'s weighted mean product {@code sum_k w_k B_k A_k}, {@code w_k = n_k / sum_j n_j}. */
    double[] meanProduct(LoraTarget t) {
        double[] mean = product[t.index()].clone();
        for (int i = 0; i < mean.length; i++) mean[i] /= dense.weight();
        return mean;
    }
}
