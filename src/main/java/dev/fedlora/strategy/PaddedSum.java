package dev.fedlora.strategy;

import dev.fedlora.model.Adapter;
import dev.fedlora.model.AdapterLayout;
import dev.fedlora.model.LoraTarget;

/**
 * Weighted sums of dense uploads padded to the maximum rank: per LoRA target {@code t} and rank
 * slot {@code j}, {@code sum_k c_kt A_k[j]} (likewise the columns of {@code B}), where the adapter
 * weight {@code c_kt} is {@code n_k} unless a strategy says otherwise (HetLoRA), together with the
 * dense tensors' sum by {@code n_k}, the summed adapter weight of each target and the summed
 * {@code n_k} of the clients that own each slot. Shared by the strategies that zero- or
 * replication-pad; they differ only in the weights and in what each slot is divided by. Built
 * without {@code A} (FFA-LoRA), it sums the columns of {@code B} and the dense tensors only. The fold
 * of the padding strategies, HetLoRA and FFA-LoRA.
 */
public final class PaddedSum implements Accumulator<Adapter, PaddedSum>, NoisySum {
    private static final long serialVersionUID = 1L;

    /** What rank slot {@code slot} of target {@code target} is divided by; 0 keeps the previous value. */
    @FunctionalInterface
    public interface SlotDivisor {
        double of(LoraTarget target, int slot);
    }

    private final AdapterLayout layout;
    private final int maxRank;
    /** Per target (by index), or null when {@code A} is not summed. */
    private final double[][] a;
    private final double[][] b;
    private final double[] targetWeight;
    private final double[] slotWeight;
    private final DenseSum dense;
    private int count;

    /** An empty sum of {@code A}, {@code B} and the dense tensors. */
    public PaddedSum(AdapterLayout layout, int maxRank) {
        this(layout, maxRank, true);
    }

    /** @param sumsA false to sum only {@code B} and the dense tensors ({@link #addB}) */
    public PaddedSum(AdapterLayout layout, int maxRank, boolean sumsA) {
        this.layout = layout;
        this.maxRank = maxRank;
        int targets = layout.targets().size();
        a = sumsA ? new double[targets][] : null;
        b = new double[targets][];
        for (LoraTarget t : layout.targets()) {
            if (sumsA) a[t.index()] = new double[maxRank * t.in()];
            b[t.index()] = new double[t.out() * maxRank];
        }
        targetWeight = new double[targets];
        slotWeight = new double[maxRank];
        dense = new DenseSum(layout);
    }

    /** Adds the dense upload weighted by {@code n_k}. */
    @Override
    public void add(ClientUpdate<? extends Adapter> update) {
        add(update.clientId(), update.payload(), examplesWeights(update.numExamples()), update.numExamples());
    }

    /**
     * Adds an upload of {@code B} and the dense tensors only (the sum was built without {@code A}),
     * weighted by {@code n}: per target (by index) {@code b} (out x {@code rank}, row-major), and the
     * dense tensors in layout order.
     */
    public void addB(int clientId, int rank, float[][] b, float[][] dense, double n) {
        addFactors(clientId, rank, null, b, dense, examplesWeights(n), n);
    }

    private double[] examplesWeights(double n) {
        double[] weights = new double[b.length];
        java.util.Arrays.fill(weights, n);
        return weights;
    }

    /**
     * Adds {@code p}: target {@code t}'s {@code A} and {@code B} scaled by
     * {@code adapterWeight[t.index()]}, the dense tensors by {@code denseWeight}; the slots it owns
     * count {@code denseWeight}.
     */
    public void add(int clientId, Adapter p, double[] adapterWeight, double denseWeight) {
        float[][] pa = new float[b.length][];
        float[][] pb = new float[b.length][];
        for (LoraTarget t : layout.targets()) {
            pa[t.index()] = p.a(t);
            pb[t.index()] = p.b(t);
        }
        addFactors(clientId, p.rank, pa, pb, DenseSum.denseOf(p), adapterWeight, denseWeight);
    }

    private void addFactors(int clientId, int r, float[][] pa, float[][] pb, float[][] denseValues,
                            double[] adapterWeight, double denseWeight) {
        if (r > maxRank) {
            throw new IllegalArgumentException("client " + clientId + " sent rank " + r + ", above the global rank " + maxRank);
        }
        for (LoraTarget t : layout.targets()) {
            int l = t.index();
            double w = adapterWeight[l];
            if (a != null) {
                int values = r * t.in();
                for (int i = 0; i < values; i++) a[l][i] += w * pa[l][i];
            }
            for (int i = 0; i < t.out(); i++) {
                for (int j = 0; j < r; j++) b[l][i * maxRank + j] += w * pb[l][i * r + j];
            }
            targetWeight[l] += w;
        }
        dense.add(denseValues, denseWeight);
        for (int j = 0; j < r; j++) slotWeight[j] += denseWeight;
        count++;
    }

    /** Adds {@code weight} of {@code start} (at the global rank) to every sum, its slots and the dense tensors. */
    @Override
    public void addUnchanged(Adapter start, double weight) {
        add(-1, start, examplesWeights(weight), weight);
    }

    /** Noise on every summed {@code A} (unless not summed: frozen), every {@code B} and the dense tensors, in layout order. */
    @Override
    public void addNoise(double stddev, java.util.SplittableRandom rng) {
        for (int l = 0; l < b.length; l++) {
            if (a != null) addNoise(a[l], stddev, rng);
            addNoise(b[l], stddev, rng);
        }
        dense.addNoise(stddev, rng);
    }

    static void addNoise(double[] values, double stddev, java.util.SplittableRandom rng) {
        for (int i = 0; i < values.length; i++) values[i] += stddev * Adapter.gaussian(rng);
    }

    @Override
    public void merge(PaddedSum o) {
        for (int l = 0; l < b.length; l++) {
            if (a != null) addAll(a[l], o.a[l]);
            addAll(b[l], o.b[l]);
        }
        addAll(targetWeight, o.targetWeight);
        addAll(slotWeight, o.slotWeight);
        dense.merge(o.dense);
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
    public double totalWeight() {
        return dense.weight();
    }

    /** The summed adapter weight {@code sum_k c_kt} of target {@code t}. */
    public double targetWeight(LoraTarget t) {
        return targetWeight[t.index()];
    }

    /** The summed {@code n_k} of the clients that own rank slot {@code slot}. */
    public double slotWeight(int slot) {
        return slotWeight[slot];
    }

    /**
     * The averaged adapter: slot {@code j} of target {@code t} divided by {@code divisor.of(t, j)};
     * a slot whose divisor is 0, and {@code A} when it is not summed, keep their values in
     * {@code previous}. The dense tensors are divided by the total weight.
     */
    public Adapter average(SlotDivisor divisor, Adapter previous) {
        Adapter out = previous.copy();
        for (LoraTarget t : layout.targets()) {
            int l = t.index();
            int in = t.in();
            float[] outA = out.a(t);
            float[] outB = out.b(t);
            for (int j = 0; j < maxRank; j++) {
                double d = divisor.of(t, j);
                if (d <= 0) continue;
                if (a != null) {
                    for (int i = 0; i < in; i++) outA[j * in + i] = (float) (a[l][j * in + i] / d);
                }
                for (int i = 0; i < t.out(); i++) outB[i * maxRank + j] = (float) (b[l][i * maxRank + j] / d);
            }
        }
        dense.meanInto(out);
        return out;
    }
}
