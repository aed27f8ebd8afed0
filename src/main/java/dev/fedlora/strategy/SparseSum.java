package dev.fedlora.strategy;

import dev.fedlora.comm.SparseVector;

/** {@code sum_k n_k delta_k} over sparse uploads, touching only their nonzeros, and {@code sum n_k}. */
final class SparseSum implements Accumulator {
    private static final long serialVersionUID = 1L;

    final double[] sum;
    double totalWeight;
    int count;

    SparseSum(int length) {
        sum = new double[length];
    }

    @Override
    public void add(ClientUpdate update) {
        SparseVector delta = (SparseVector) update.payload();
        if (delta.length() != sum.length) {
            throw new IllegalArgumentException("client " + update.clientId() + " sent a vector of length "
                    + delta.length() + ", expected " + sum.length);
        }
        delta.addTo(sum, update.numExamples());
        totalWeight += update.numExamples();
        count++;
    }

    @Override
    public void merge(Accumulator other) {
        SparseSum o = (SparseSum) other;
        for (int i = 0; i < sum.length; i++) sum[i] += o.sum[i];
        totalWeight += o.totalWeight;
        count += o.count;
    }

    @Override
    public int count() {
        return count;
    }
}
