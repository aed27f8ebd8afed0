package dev.fedlora.strategy;

import dev.fedlora.model.LoraParams;
import dev.fedlora.model.ModelShape;

/**
 * {@code sum_k n_k B_k A_k} per adapted layer (the full out x in products, in double), the head's
 * dense sum by {@code n_k}, and {@code sum_k n_k}. FlexLoRA's accumulator.
 */
final class ProductSum implements Accumulator<LoraParams, ProductSum> {
    private static final long serialVersionUID = 1L;

    final ModelShape shape;
    final double[][] product;
    final HeadSum head;
    int count;

    ProductSum(ModelShape shape) {
        this.shape = shape;
        product = new double[shape.adaptedLayers()][];
        for (int l = 0; l < product.length; l++) product[l] = new double[shape.out(l) * shape.in(l)];
        head = new HeadSum(shape);
    }

    @Override
    public void add(ClientUpdate<? extends LoraParams> update) {
        LoraParams p = update.payload();
        double n = update.numExamples();
        for (int l = 0; l < product.length; l++) {
            LowRank.addProduct(product[l], p.b[l], p.a[l], shape.out(l), p.rank, shape.in(l), n);
        }
        head.add(p.headW, p.headB, n);
        count++;
    }

    @Override
    public void merge(ProductSum o) {
        for (int l = 0; l < product.length; l++) {
            for (int i = 0; i < product[l].length; i++) product[l][i] += o.product[l][i];
        }
        head.merge(o.head);
        count += o.count;
    }

    @Override
    public int count() {
        return count;
    }

    /** Layer {@code l}'s weighted mean product {@code sum_k w_k B_k A_k}, {@code w_k = n_k / sum_j n_j}. */
    double[] meanProduct(int layer) {
        double[] mean = product[layer].clone();
        for (int i = 0; i < mean.length; i++) mean[i] /= head.weight;
        return mean;
    }
}
