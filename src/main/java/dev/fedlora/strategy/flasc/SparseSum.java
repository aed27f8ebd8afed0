package dev.fedlora.strategy.flasc;

import dev.fedlora.comm.SparseVector;
import dev.fedlora.strategy.Accumulator;
import dev.fedlora.strategy.ClientUpdate;
import dev.fedlora.strategy.NoisySum;
import dev.fedlora.model.Adapter;
import java.util.SplittableRandom;

/**
 * FLASC's fold over sparse uploads of trained values, touching only their nonzeros:
 * {@code sum_k n_k theta_k[i]} over the clients that sent entry {@code i}, the summed {@code n_k} of
 * those clients per entry (kept only once some client left an entry out), and {@code sum_k n_k}.
 */
final class SparseSum implements Accumulator<SparseVector, SparseSum>, NoisySum {
    private static final long serialVersionUID = 1L;

    final double[] sum;
    /** Per entry, the summed {@code n_k} of the clients that sent it; null while every client sent every entry. */
    double[] sentWeight;
    double totalWeight;
    int count;

    SparseSum(int length) {
        sum = new double[length];
    }

    @Override
    public void add(ClientUpdate<? extends SparseVector> update) {
        SparseVector sent = update.payload();
        if (sent.length() != sum.length) {
            throw new IllegalArgumentException("client " + update.clientId() + " sent a vector of length "
                    + sent.length() + ", expected " + sum.length);
        }
        double n = update.numExamples();
        sent.addTo(sum, n);
        if (sentWeight == null && sent.nnz() < sum.length) sentWeight = everyEntry(totalWeight);
        if (sentWeight != null) {
            for (int i : sent.indices()) sentWeight[i] += n;
        }
        totalWeight += n;
        count++;
    }

    @Override
    public void merge(SparseSum o) {
        for (int i = 0; i < sum.length; i++) sum[i] += o.sum[i];
        if (sentWeight != null || o.sentWeight != null) {
            double[] mine = sentWeight != null ? sentWeight : everyEntry(totalWeight);
            double[] theirs = o.sentWeight != null ? o.sentWeight : everyEntry(o.totalWeight);
            for (int i = 0; i < mine.length; i++) mine[i] += theirs[i];
            sentWeight = mine;
        }
        totalWeight += o.totalWeight;
        count += o.count;
    }

    /** A client that sent every entry of {@code start} (the masked download), with weight {@code weight}. */
    @Override
    public void addUnchanged(Adapter start, double weight) {
        float[] values = start.flatten();
        for (int i = 0; i < sum.length; i++) sum[i] += weight * values[i];
        if (sentWeight != null) {
            for (int i = 0; i < sum.length; i++) sentWeight[i] += weight;
        }
        totalWeight += weight;
        count++;
    }

    /**
     * Noise on every entry of {@code theta}: a client trains every entry densely and its top-k can
     * pick any of them, so the entries it may send are not fixed by public information.
     */
    @Override
    public void addNoise(double stddev, SplittableRandom rng) {
        for (int i = 0; i < sum.length; i++) sum[i] += stddev * Adapter.gaussian(rng);
    }

    private double[] everyEntry(double weight) {
        double[] w = new double[sum.length];
        java.util.Arrays.fill(w, weight);
        return w;
    }

    @Override
    public int count() {
        return count;
    }

    /**
     * The clients' weighted mean {@code sum_k w_k theta_k[i]}, where a client that did not send entry
     * {@code i} counts as holding {@code start[i]}. Where every client sent an entry this is exactly
     * {@code sum_k n_k theta_k[i] / sum_k n_k}, the arithmetic of FedAvg.
     */
    double[] mean(float[] start) {
        double[] mean = new double[sum.length];
        for (int i = 0; i < mean.length; i++) {
            double unsent = sentWeight == null ? 0 : totalWeight - sentWeight[i];
            mean[i] = unsent == 0 ? sum[i] / totalWeight : (sum[i] + unsent * start[i]) / totalWeight;
        }
        return mean;
    }
}
