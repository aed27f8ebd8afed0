package dev.fedlora.strategy;

import dev.fedlora.model.Adapter;
import dev.fedlora.model.AdapterLayout;
import dev.fedlora.model.LoraTarget;

/**
 * The fold of {@link OneFactor} uploads (RoLoRA, FedSA-LoRA): per LoRA target the sum by {@code n_k}
 * of the factor sent (which the first upload says; every upload of a round carries the same one),
 * and the dense tensors' sum by {@code n_k}.
 */
public final class FactorSum implements Accumulator<OneFactor, FactorSum> {
    private static final long serialVersionUID = 1L;

    private final AdapterLayout layout;
    private final int maxRank;
    private final DenseSum dense;
    /** The factor summed; null while empty. */
    private Factor factor;
    /** Per target (by index), {@code sum_k n_k F_k}; null while empty. */
    private double[][] sums;
    private int count;

    public FactorSum(AdapterLayout layout, int maxRank) {
        this.layout = layout;
        this.maxRank = maxRank;
        dense = new DenseSum(layout);
    }

    /** @throws IllegalArgumentException if the upload's rank is not the global rank or its factor is not this round's */
    @Override
    public void add(ClientUpdate<? extends OneFactor> update) {
        OneFactor sent = update.payload();
        if (sent.rank() != maxRank) {
            throw new IllegalArgumentException("client " + update.clientId() + " sent rank " + sent.rank()
                    + "; every client trains at the global rank " + maxRank);
        }
        ensure(sent.factor(), "client " + update.clientId());
        double n = update.numExamples();
        for (LoraTarget t : layout.targets()) {
            double[] s = sums[t.index()];
            float[] v = sent.factors()[t.index()];
            for (int i = 0; i < s.length; i++) s[i] += n * v[i];
        }
        dense.add(sent.dense(), n);
        count++;
    }

    private void ensure(Factor f, String who) {
        if (factor == null) {
            factor = f;
            sums = new double[layout.targets().size()][];
            for (LoraTarget t : layout.targets()) sums[t.index()] = new double[maxRank * f.valuesPerSlot(t)];
        } else if (factor != f) {
            throw new IllegalArgumentException(who + " sent " + f + " in a round whose uploads are " + factor);
        }
    }

    @Override
    public void merge(FactorSum o) {
        if (o.count == 0) return;
        ensure(o.factor, "a partial fold");
        for (int l = 0; l < sums.length; l++) {
            for (int i = 0; i < sums[l].length; i++) sums[l][i] += o.sums[l][i];
        }
        dense.merge(o.dense);
        count += o.count;
    }

    @Override
    public int count() {
        return count;
    }

    /** {@code previous} with the summed factor replaced by {@code sum_k w_k F_k} and the dense tensors by their means. */
    public Adapter average(Adapter previous) {
        Adapter out = previous.copy();
        double total = dense.weight();
        for (LoraTarget t : layout.targets()) {
            float[] o = factor.of(out, t);
            double[] s = sums[t.index()];
            for (int i = 0; i < s.length; i++) o[i] = (float) (s[i] / total);
        }
        dense.meanInto(out);
        return out;
    }
}
