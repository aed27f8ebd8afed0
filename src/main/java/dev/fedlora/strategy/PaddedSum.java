package dev.fedlora.strategy;

import dev.fedlora.model.LoraParams;
import dev.fedlora.model.ModelShape;

/**
 * Weighted sums of dense uploads padded to the maximum rank: per adapted layer {@code l} and rank
 * slot {@code j}, {@code sum_k c_kl A_k[j]} (likewise the columns of {@code B}), where the adapter
 * weight {@code c_kl} is {@code n_k} unless a strategy says otherwise (HetLoRA), together with the
 * head's dense sum by {@code n_k}, the summed adapter weight of each layer and the summed
 * {@code n_k} of the clients that own each slot. Shared by the strategies that zero- or
 * replication-pad; they differ only in the weights and in what each slot is divided by. Built
 * without {@code A} (FFA-LoRA), it sums the columns of {@code B} and the head only.
 */
final class PaddedSum implements Accumulator<LoraParams, PaddedSum> {
    private static final long serialVersionUID = 1L;

    /** What rank slot {@code slot} of layer {@code layer} is divided by; 0 keeps the previous value. */
    @FunctionalInterface
    interface SlotDivisor {
        double of(int layer, int slot);
    }

    final ModelShape shape;
    final int maxRank;
    /** Per layer, or null when {@code A} is not summed. */
    final double[][] a;
    final double[][] b;
    final double[] layerWeight;
    final double[] slotWeight;
    final HeadSum head;
    int count;

    PaddedSum(ModelShape shape, int maxRank) {
        this(shape, maxRank, true);
    }

    PaddedSum(ModelShape shape, int maxRank, boolean sumsA) {
        this.shape = shape;
        this.maxRank = maxRank;
        int layers = shape.adaptedLayers();
        a = sumsA ? new double[layers][] : null;
        b = new double[layers][];
        for (int l = 0; l < layers; l++) {
            if (sumsA) a[l] = new double[maxRank * shape.in(l)];
            b[l] = new double[shape.out(l) * maxRank];
        }
        layerWeight = new double[layers];
        slotWeight = new double[maxRank];
        head = new HeadSum(shape);
    }

    /** Adds the dense upload weighted by {@code n_k}. */
    @Override
    public void add(ClientUpdate<? extends LoraParams> update) {
        add(update.clientId(), update.payload(), examplesWeights(update.numExamples()), update.numExamples());
    }

    /** Adds an upload of {@code B} and the head only (the sum was built without {@code A}), weighted by {@code n_k}. */
    void addB(ClientUpdate<? extends FactorB> update) {
        FactorB f = update.payload();
        double n = update.numExamples();
        addFactors(update.clientId(), f.rank(), null, f.b(), f.headW(), f.headB(), examplesWeights(n), n);
    }

    private double[] examplesWeights(double n) {
        double[] weights = new double[b.length];
        java.util.Arrays.fill(weights, n);
        return weights;
    }

    /**
     * Adds {@code p}: layer {@code l}'s {@code A} and {@code B} scaled by {@code adapterWeight[l]},
     * the head by {@code headWeight}; the slots it owns count {@code headWeight}.
     */
    void add(int clientId, LoraParams p, double[] adapterWeight, double headWeight) {
        addFactors(clientId, p.rank, p.a, p.b, p.headW, p.headB, adapterWeight, headWeight);
    }

    private void addFactors(int clientId, int r, float[][] pa, float[][] pb, float[] headW, float[] headB,
                            double[] adapterWeight, double headWeight) {
        if (r > maxRank) {
            throw new IllegalArgumentException("client " + clientId + " sent rank " + r + ", above the global rank " + maxRank);
        }
        for (int l = 0; l < b.length; l++) {
            double w = adapterWeight[l];
            if (a != null) {
                int values = r * shape.in(l);
                for (int i = 0; i < values; i++) a[l][i] += w * pa[l][i];
            }
            int out = shape.out(l);
            for (int i = 0; i < out; i++) {
                for (int j = 0; j < r; j++) b[l][i * maxRank + j] += w * pb[l][i * r + j];
            }
            layerWeight[l] += w;
        }
        head.add(headW, headB, headWeight);
        for (int j = 0; j < r; j++) slotWeight[j] += headWeight;
        count++;
    }

    @Override
    public void merge(PaddedSum o) {
        for (int l = 0; l < b.length; l++) {
            if (a != null) addAll(a[l], o.a[l]);
            addAll(b[l], o.b[l]);
        }
        addAll(layerWeight, o.layerWeight);
        addAll(slotWeight, o.slotWeight);
        head.merge(o.head);
        count += o.count;
    }

    private static void addAll(double[] acc, double[] v) {
        for (int i = 0; i < acc.length; i++) acc[i] += v[i];
    }

    @Override
    public int count() {
        return count;
    }

    /** The summed {@code n_k} of every client folded in. */
    double totalWeight() {
        return head.weight;
    }

    /**
     * The averaged adapter: slot {@code j} of layer {@code l} divided by {@code divisor.of(l, j)}; a
     * slot whose divisor is 0, and {@code A} when it is not summed, keep their values in
     * {@code previous}. The head is divided by the total weight.
     */
    LoraParams average(SlotDivisor divisor, LoraParams previous) {
        LoraParams out = previous.copy();
        for (int l = 0; l < b.length; l++) {
            int in = shape.in(l);
            int outDim = shape.out(l);
            for (int j = 0; j < maxRank; j++) {
                double d = divisor.of(l, j);
                if (d <= 0) continue;
                if (a != null) {
                    for (int i = 0; i < in; i++) out.a[l][j * in + i] = (float) (a[l][j * in + i] / d);
                }
                for (int i = 0; i < outDim; i++) out.b[l][i * maxRank + j] = (float) (b[l][i * maxRank + j] / d);
            }
        }
        head.meanInto(out);
        return out;
    }
}
