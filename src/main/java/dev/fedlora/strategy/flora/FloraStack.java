package dev.fedlora.strategy.flora;

import dev.fedlora.model.Adapter;
import dev.fedlora.model.AdapterLayout;
import dev.fedlora.model.LoraTarget;
import dev.fedlora.strategy.Accumulator;
import dev.fedlora.strategy.ClientUpdate;
import dev.fedlora.strategy.DenseSum;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * FLoRA's fold: every client's factors with its {@code n_k} (the stack is the aggregate, so it holds
 * what the clients sent, in any order), and the dense tensors' sum by {@code n_k}.
 */
final class FloraStack implements Accumulator<Adapter, FloraStack> {
    private static final long serialVersionUID = 1L;

    /** One client's upload: {@code A_k} and {@code B_k} per LoRA target (by index) at rank {@code rank}. */
    record Module(int clientId, long numExamples, int rank, float[][] a, float[][] b) implements Serializable {}

    final AdapterLayout layout;
    final int maxRank;
    final List<Module> modules = new ArrayList<>();
    final DenseSum dense;

    FloraStack(AdapterLayout layout, int maxRank) {
        this.layout = layout;
        this.maxRank = maxRank;
        dense = new DenseSum(layout);
    }

    @Override
    public void add(ClientUpdate<? extends Adapter> update) {
        Adapter p = update.payload();
        if (p.rank > maxRank) {
            throw new IllegalArgumentException("client " + update.clientId() + " sent rank " + p.rank
                    + ", above the global rank " + maxRank);
        }
        float[][] a = new float[layout.targets().size()][];
        float[][] b = new float[a.length][];
        for (LoraTarget t : layout.targets()) {
            a[t.index()] = p.a(t);
            b[t.index()] = p.b(t);
        }
        modules.add(new Module(update.clientId(), update.numExamples(), p.rank, a, b));
        dense.add(p, update.numExamples());
    }

    @Override
    public void merge(FloraStack o) {
        modules.addAll(o.modules);
        dense.merge(o.dense);
    }

    @Override
    public int count() {
        return modules.size();
    }

    /** The stacked module with {@code w_k = n_k / sum_j n_j}, clients in id order. */
    StackedModule stack() {
        List<Module> sorted = new ArrayList<>(modules);
        sorted.sort(Comparator.comparingInt(Module::clientId));
        int slots = sorted.stream().mapToInt(Module::rank).sum();
        float[][] a = new float[layout.targets().size()][];
        float[][] b = new float[a.length][];
        for (LoraTarget t : layout.targets()) {
            int l = t.index();
            int in = t.in();
            int out = t.out();
            a[l] = new float[slots * in];
            b[l] = new float[out * slots];
            int offset = 0;
            for (Module m : sorted) {
                double w = m.numExamples() / dense.weight();
                for (int i = 0; i < m.rank() * in; i++) a[l][offset * in + i] = (float) (w * m.a()[l][i]);
                for (int i = 0; i < out; i++) System.arraycopy(m.b()[l], i * m.rank(), b[l], i * slots + offset, m.rank());
                offset += m.rank();
            }
        }
        return new StackedModule(layout, slots, a, b);
    }
}
