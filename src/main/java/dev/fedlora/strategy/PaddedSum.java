package dev.fedlora.strategy;

import dev.fedlora.model.LoraParams;
import dev.fedlora.model.ModelShape;

/**
 * Weighted sums of dense uploads padded to the maximum rank: {@code sum_k n_k A_k[j]} per rank slot
 * (likewise the columns of {@code B} and the head), with the weight {@code sum n_k} of the clients
 * that own each slot and of all clients. Shared by the padding strategies; they differ only in
 * what they divide by.
 */
final class PaddedSum implements Accumulator {
    private static final long serialVersionUID = 1L;

    final ModelShape shape;
    final int maxRank;
    final double[][] a;
    final double[][] b;
    final double[] headW;
    final double[] headB;
    final double[] slotWeight;
    double totalWeight;
    int count;

    PaddedSum(ModelShape shape, int maxRank) {
        this.shape = shape;
        this.maxRank = maxRank;
        int layers = shape.adaptedLayers();
        a = new double[layers][];
        b = new double[layers][];
        for (int l = 0; l < layers; l++) {
            a[l] = new double[maxRank * shape.in(l)];
            b[l] = new double[shape.out(l) * maxRank];
        }
        headW = new double[shape.classes() * shape.lastHidden()];
        headB = new double[shape.classes()];
        slotWeight = new double[maxRank];
    }

    @Override
    public void add(ClientUpdate update) {
        add(update, update.numExamples());
    }

    /** Adds the client's dense upload scaled by {@code weight}; its slot ownership counts {@code weight}. */
    void add(ClientUpdate update, double weight) {
        LoraParams p = (LoraParams) update.payload();
        int r = p.rank;
        if (r > maxRank) throw new IllegalArgumentException("client " + update.clientId() + " sent rank " + r
                + ", above the global rank " + maxRank);
        for (int l = 0; l < a.length; l++) {
            addScaled(a[l], p.a[l], 0, r * shape.in(l), weight);
            int out = shape.out(l);
            for (int i = 0; i < out; i++) {
                for (int j = 0; j < r; j++) b[l][i * maxRank + j] += weight * p.b[l][i * r + j];
            }
        }
        addScaled(headW, p.headW, 0, headW.length, weight);
        addScaled(headB, p.headB, 0, headB.length, weight);
        for (int j = 0; j < r; j++) slotWeight[j] += weight;
        totalWeight += weight;
        count++;
    }

    private static void addScaled(double[] acc, float[] v, int from, int to, double w) {
        for (int i = from; i < to; i++) acc[i] += w * v[i];
    }

    @Override
    public void merge(Accumulator other) {
        PaddedSum o = (PaddedSum) other;
        for (int l = 0; l < a.length; l++) {
            addAll(a[l], o.a[l]);
            addAll(b[l], o.b[l]);
        }
        addAll(headW, o.headW);
        addAll(headB, o.headB);
        addAll(slotWeight, o.slotWeight);
        totalWeight += o.totalWeight;
        count += o.count;
    }

    private static void addAll(double[] acc, double[] v) {
        for (int i = 0; i < acc.length; i++) acc[i] += v[i];
    }

    @Override
    public int count() {
        return count;
    }

    /**
     * The averaged adapter: slot {@code j} divided by {@code divisor[j]}; a slot whose divisor is 0
     * keeps its value in {@code previous}. The head is divided by the total weight.
     */
    LoraParams average(double[] divisor, LoraParams previous) {
        LoraParams out = previous.copy();
        for (int l = 0; l < a.length; l++) {
            int in = shape.in(l);
            for (int j = 0; j < maxRank; j++) {
                if (divisor[j] <= 0) continue;
                for (int i = 0; i < in; i++) out.a[l][j * in + i] = (float) (a[l][j * in + i] / divisor[j]);
            }
            int outDim = shape.out(l);
            for (int i = 0; i < outDim; i++) {
                for (int j = 0; j < maxRank; j++) {
                    if (divisor[j] > 0) out.b[l][i * maxRank + j] = (float) (b[l][i * maxRank + j] / divisor[j]);
                }
            }
        }
        if (totalWeight > 0) {
            for (int i = 0; i < headW.length; i++) out.headW[i] = (float) (headW[i] / totalWeight);
            for (int i = 0; i < headB.length; i++) out.headB[i] = (float) (headB[i] / totalWeight);
        }
        return out;
    }
}
