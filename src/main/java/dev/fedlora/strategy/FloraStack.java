package dev.fedlora.strategy;

import dev.fedlora.model.LoraParams;
import dev.fedlora.model.ModelShape;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * FLoRA's fold: every client's factors with its {@code n_k} (the stack is the aggregate, so it holds
 * what the clients sent, in any order), and the head's dense sum by {@code n_k}.
 */
final class FloraStack implements Accumulator<LoraParams, FloraStack> {
    private static final long serialVersionUID = 1L;

    /** One client's upload: {@code A_k} and {@code B_k} per adapted layer at rank {@code rank}. */
    record Module(int clientId, long numExamples, int rank, float[][] a, float[][] b) implements Serializable {}

    final ModelShape shape;
    final int maxRank;
    final List<Module> modules = new ArrayList<>();
    final HeadSum head;

    FloraStack(ModelShape shape, int maxRank) {
        this.shape = shape;
        this.maxRank = maxRank;
        head = new HeadSum(shape);
    }

    @Override
    public void add(ClientUpdate<? extends LoraParams> update) {
        LoraParams p = update.payload();
        if (p.rank > maxRank) {
            throw new IllegalArgumentException("client " + update.clientId() + " sent rank " + p.rank
                    + ", above the global rank " + maxRank);
        }
        modules.add(new Module(update.clientId(), update.numExamples(), p.rank, p.a, p.b));
        head.add(p.headW, p.headB, update.numExamples());
    }

    @Override
    public void merge(FloraStack o) {
        modules.addAll(o.modules);
        head.merge(o.head);
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
        int layers = shape.adaptedLayers();
        float[][] a = new float[layers][];
        float[][] b = new float[layers][];
        for (int l = 0; l < layers; l++) {
            int in = shape.in(l);
            int out = shape.out(l);
            a[l] = new float[slots * in];
            b[l] = new float[out * slots];
            int offset = 0;
            for (Module m : sorted) {
                double w = m.numExamples() / head.weight;
                for (int i = 0; i < m.rank() * in; i++) a[l][offset * in + i] = (float) (w * m.a()[l][i]);
                for (int i = 0; i < out; i++) System.arraycopy(m.b()[l], i * m.rank(), b[l], i * slots + offset, m.rank());
                offset += m.rank();
            }
        }
        return new StackedModule(shape, slots, a, b);
    }
}
