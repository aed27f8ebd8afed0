package dev.fedlora.strategy;

import dev.fedlora.model.AdapterLayout;

/** FFA-LoRA's fold: zero-padded sums of the uploaded {@code B}s and heads by {@code n_k} (no {@code A}). */
final class FactorBSum implements Accumulator<FactorB, FactorBSum> {
    private static final long serialVersionUID = 1L;

    final PaddedSum sum;

    FactorBSum(AdapterLayout layout, int maxRank) {
        sum = new PaddedSum(layout, maxRank, false);
    }

    @Override
    public void add(ClientUpdate<? extends FactorB> update) {
        sum.addB(update);
    }

    @Override
    public void merge(FactorBSum other) {
        sum.merge(other.sum);
    }

    @Override
    public int count() {
        return sum.count();
    }
}
