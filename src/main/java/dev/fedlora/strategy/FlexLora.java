package dev.fedlora.strategy;

import dev.fedlora.model.LoraParams;
import dev.fedlora.model.ModelShape;

/**
 * FlexLoRA (Bai et al., "Federated Fine-tuning of Large Language Models under Heterogeneous Tasks
 * and Client Resources", NeurIPS 2024). The server averages the clients' full products per
 * adapted layer, {@code M = sum_k w_k B_k A_k} with {@code w_k = n_k / sum_j n_j}, takes its SVD
 * {@code M = U S V^T} and keeps the global adapter at {@code r_max} as
 * {@code B = U[:, :r_max] S[:r_max]} and {@code A = V^T[:r_max, :]} (all of {@code S} goes into
 * {@code B}, so the rows of {@code A} are orthonormal). Client {@code k} receives the first
 * {@code r_k} slots, {@code B = U[:, :r_k] S[:r_k]}, {@code A = V^T[:r_k, :]}: the best
 * rank-{@code r_k} approximation of {@code M} (Eckart–Young), off by
 * {@code sqrt(sum_{i > r_k} s_i^2)} in Frobenius norm. The head is averaged densely by {@code n_k}.
 */
public final class FlexLora extends TruncatingStrategy<ProductSum, NoState> {
    private static final long serialVersionUID = 1L;

    @Override
    public NoState initialState() {
        return NoState.NONE;
    }

    @Override
    public ProductSum zero(ModelShape shape, int maxRank) {
        return new ProductSum(shape);
    }

    @Override
    public GlobalModel<NoState> finish(ProductSum sum, GlobalModel<NoState> previous, int round) {
        if (sum.count() == 0) return previous;
        LoraParams out = previous.adapter().copy();
        for (int l = 0; l < out.a.length; l++) {
            LowRank.Factors f = LowRank.bestApproximation(sum.meanProduct(l), out.shape.out(l), out.shape.in(l), out.rank);
            System.arraycopy(f.b(), 0, out.b[l], 0, out.b[l].length);
            System.arraycopy(f.a(), 0, out.a[l], 0, out.a[l].length);
        }
        sum.head.meanInto(out);
        return previous.withAdapter(out);
    }
}
