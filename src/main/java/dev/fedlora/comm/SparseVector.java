package dev.fedlora.comm;

import java.io.Serializable;

/**
 * A sparse float vector of logical length {@code length}: strictly increasing {@code indices} with
 * their {@code values}. What a FLASC client uploads.
 */
public record SparseVector(int length, int[] indices, float[] values) implements Serializable, Payload {
    public SparseVector {
        if (indices.length != values.length) {
            throw new IllegalArgumentException(indices.length + " indices but " + values.length + " values");
        }
    }

    public int nnz() { return indices.length; }

    /** The entries of {@code dense} selected by {@code mask}. */
    public static SparseVector gather(float[] dense, boolean[] mask) {
        int nnz = 0;
        for (boolean m : mask) if (m) nnz++;
        int[] idx = new int[nnz];
        float[] val = new float[nnz];
        for (int i = 0, k = 0; i < mask.length; i++) {
            if (mask[i]) {
                idx[k] = i;
                val[k++] = dense[i];
            }
        }
        return new SparseVector(dense.length, idx, val);
    }

    /** {@code acc[i] += weight * v[i]} over the nonzeros only. */
    public void addTo(double[] acc, double weight) {
        for (int k = 0; k < indices.length; k++) acc[indices[k]] += weight * values[k];
    }

    @Override
    public java.util.Map<String, Tensor> tensors() {
        float[] idx = new float[indices.length];
        for (int i = 0; i < idx.length; i++) idx[i] = indices[i];
        java.util.Map<String, Tensor> t = new java.util.LinkedHashMap<>();
        t.put("indices", Tensor.vector(idx));
        t.put("values", Tensor.vector(values));
        return t;
    }

    @Override
    public double norm() {
        double s = 0;
        for (float v : values) s += (double) v * v;
        return Math.sqrt(s);
    }

    @Override
    public boolean isFinite() {
        for (float v : values) if (!Float.isFinite(v)) return false;
        return true;
    }
}
