package dev.fedlora.strategy.ffa;

import dev.fedlora.model.AdapterLayout;
import dev.fedlora.strategy.Accumulator;
import dev.fedlora.strategy.ClientUpdate;
import dev.fedlora.strategy.NoisySum;
import dev.fedlora.strategy.OneFactor;
import dev.fedlora.model.Adapter;
import java.util.SplittableRandom;
import dev.fedlora.strategy.PaddedSum;

/** FFA-LoRA's fold: zero-padded sums of the uploaded {@code B}s and heads by {@code n_k} (no {@code A}). */
final class FactorBSum implements Accumulator<OneFactor, FactorBSum>, NoisySum {
    private static final long serialVersionUID = 1L;

    final PaddedSum sum;

    FactorBSum(AdapterLayout layout, int maxRank) {
        sum = new PaddedSum(layout, maxRank, false);
    }

    @Override
    public void add(ClientUpdate<? extends OneFactor> update) {
        OneFactor sent = update.payload();
        sum.addB(update.clientId(), sent.rank(), sent.factors(), sent.dense(), update.numExamples());
    }

    @Override
    public void merge(FactorBSum other) {
        sum.merge(other.sum);
    }

    /** {@code B} and the dense tensors of {@code start}; {@code A} is frozen and not summed. */
    @Override
    public void addUnchanged(Adapter start, double weight) {
        sum.addUnchanged(start, weight);
    }

    /** Noise on the summed {@code B}s and dense tensors only: no client can change the frozen {@code A}. */
    @Override
    public void addNoise(double stddev, SplittableRandom rng) {
        sum.addNoise(stddev, rng);
    }

    @Override
    public int count() {
        return sum.count();
    }
}
