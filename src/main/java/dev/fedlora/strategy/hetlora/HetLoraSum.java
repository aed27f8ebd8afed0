package dev.fedlora.strategy.hetlora;

import dev.fedlora.model.Adapter;
import dev.fedlora.model.AdapterLayout;
import dev.fedlora.strategy.Accumulator;
import dev.fedlora.strategy.ClientUpdate;
import dev.fedlora.strategy.LowRank;
import dev.fedlora.strategy.PaddedSum;
import java.util.TreeMap;

/**
 * HetLoRA's fold: zero-padded sums where layer {@code l} of client {@code k} is weighted by
 * {@code ||B_kl A_kl||_F} (the head by {@code n_k}), and the clients that self-pruned this round
 * with the rank they sent.
 */
final class HetLoraSum implements Accumulator<Adapter, HetLoraSum> {
    private static final long serialVersionUID = 1L;

    final PaddedSum sum;
    final TreeMap<Integer, Integer> pruned = new TreeMap<>();

    HetLoraSum(AdapterLayout layout, int maxRank) {
        sum = new PaddedSum(layout, maxRank);
    }

    @Override
    public void add(ClientUpdate<? extends Adapter> update) {
        Adapter p = update.payload();
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
