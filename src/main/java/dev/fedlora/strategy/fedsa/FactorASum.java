package dev.fedlora.strategy.fedsa;

import dev.fedlora.model.Adapter;
import dev.fedlora.model.AdapterLayout;
import dev.fedlora.model.LoraTarget;
import dev.fedlora.strategy.Accumulator;
import dev.fedlora.strategy.ClientUpdate;
import dev.fedlora.strategy.DenseSum;

/** FedSA-LoRA's fold: {@code sum_k n_k A_k} per target and the dense tensors' {@code sum_k n_k d_k}; no {@code B}. */
final class FactorASum implements Accumulator<FactorA, FactorASum> {
    private static final long serialVersionUID = 1L;

    private final AdapterLayout layout;
    private final int rank;
    private final double[][] a;
    private final DenseSum dense;
    private int count;

    FactorASum(AdapterLayout layout, int rank) {
        this.layout = layout;
        this.rank = rank;
        a = new double[layout.targets().size()][];
        for (LoraTarget t : layout.targets()) a[t.index()] = new double[rank * t.in()];
        dense = new DenseSum(layout);
    }

    /** @throws IllegalArgumentException if the client's rank is not the global rank */
    @Override
    public void add(ClientUpdate<? extends FactorA> update) {
        FactorA sent = update.payload();
        if (sent.rank() != rank) {
            throw new IllegalArgumentException("fedsa_lora needs every client at rank " + rank + ", client "
                    + update.clientId() + " sent rank " + sent.rank());
        }
        double n = update.numExamples();
        for (int l = 0; l < a.length; l++) {
            double[] sum = a[l];
            float[] v = sent.a()[l];
            for (int i = 0; i < sum.length; i++) sum[i] += n * v[i];
        }
        dense.add(sent.dense(), n);
        count++;
    }

    @Override
    public void merge(FactorASum o) {
        for (int l = 0; l < a.length; l++) {
            for (int i = 0; i < a[l].length; i++) a[l][i] += o.a[l][i];
        }
        dense.merge(o.dense);
        count += o.count;
    }

    @Override
    public int count() {
        return count;
    }

    /** {@code previous} with every {@code A} and dense tensor replaced by its weighted mean; {@code B} as it was. */
    Adapter average(Adapter previous) {
        Adapter out = previous.copy();
        double weight = dense.weight();
        for (LoraTarget t : layout.targets()) {
            float[] outA = out.a(t);
            double[] sum = a[t.index()];
            for (int i = 0; i < sum.length; i++) outA[i] = (float) (sum[i] / weight);
        }
        dense.meanInto(out);
        return out;
    }
}
