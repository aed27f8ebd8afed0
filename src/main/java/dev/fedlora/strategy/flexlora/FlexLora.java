package dev.fedlora.strategy.flexlora;

import dev.fedlora.model.Adapter;
import dev.fedlora.model.AdapterLayout;
import dev.fedlora.model.LoraTarget;
import dev.fedlora.strategy.GlobalModel;
import dev.fedlora.strategy.LowRank;
import dev.fedlora.strategy.NoState;
import dev.fedlora.strategy.TruncatingStrategy;

/**
 * FlexLoRA (Bai et al., "Federated Fine-tuning of Large Language Models under Heterogeneous Tasks
 * and Client Resources", NeurIPS 2024). The server averages the clients' full products per
 * LoRA target, {@code M = sum_k w_k B_k A_k} with {@code w_k = n_k / sum_j n_j}, takes its SVD
 * {@code M = U S V^T} and keeps the global adapter at {@code r_max} as
 * {@code B = U[:, :r_max] S[:r_max]} and {@code A = V^T[:r_max, :]} (all of {@code S} goes into
 * {@code B}, so the rows of {@code A} are orthonormal). Client {@code k} receives the first
 * {@code r_k} slots, {@code B = U[:, :r_k] S[:r_k]}, {@code A = V^T[:r_k, :]}: the best
 * rank-{@code r_k} approximation of {@code M} (Eckart–Young), off by
 * {@code sqrt(sum_{i > r_k} s_i^2)} in Frobenius norm. The dense tensors are averaged by {@code n_k}.
 */
public final class FlexLora extends TruncatingStrategy<ProductSum, NoState> {
    private static final long serialVersionUID = 1L;

    @Override
    public NoState initialState() {
        return NoState.NONE;
    }

    @Override
    public ProductSum zero(AdapterLayout layout, int maxRank) {
        return new ProductSum(layout);
    }

    @Override
    public GlobalModel<NoState> finish(ProductSum sum, GlobalModel<NoState> previous, int round) {
        if (sum.count() == 0) return previous;
        Adapter out = previous.adapter().copy();
        for (LoraTarget t : out.layout.targets()) {
            LowRank.Factors f = LowRank.bestApproximation(sum.meanProduct(t), t.out(), t.in(), out.rank);
            System.arraycopy(f.b(), 0, out.b(t), 0, out.b(t).length);
            System.arraycopy(f.a(), 0, out.a(t), 0, out.a(t).length);
        }
        sum.dense.meanInto(out);
        return previous.withAdapter(out);
    }
}
