package dev.fedlora.strategy;

import dev.fedlora.model.LoraParams;
import dev.fedlora.model.ModelShape;
import java.util.TreeMap;

/**
 * HetLoRA's fold: zero-padded sums where layer {@code l} of client {@code k} is weighted by
 * {@code ||B_kl A_kl||_F} (the head by {@code n_k}), and the clients that self-pruned this round
 * with the rank they sent.
 */
final class HetLoraSum implements Accumulator<LoraParams, HetLoraSum> {
    private static final long serialVersionUID = 1L;

    final PaddedSum sum;
    final TreeMap<Integer, Integer> pruned = new TreeMap<>();

    HetLoraSum(ModelShape shape, int maxRank) {
        sum = new PaddedSum(shape, maxRank);
    }

    @Override
    public void add(ClientUpdate<? extends LoraParams> update) {
        LoraParams p = update.payload();
        sum.add(update.clientId(), p, LowRank.productNorms(p), update.numExamples());
        if (p.rank < update.rank()) pruned.put(update.clientId(), p.rank);
    }

    @Override
    public void merge(HetLoraSum o) {
        sum.merge(o.sum);
        pruned.putAll(o.pruned);
    }

    @Override
    public int count() {
        return sum.count();
    }
}
