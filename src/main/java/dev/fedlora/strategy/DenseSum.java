package dev.fedlora.strategy;

import dev.fedlora.model.Adapter;
import dev.fedlora.model.AdapterLayout;
import dev.fedlora.model.DenseTensor;
import java.io.Serializable;

/**
 * {@code sum_k n_k d_k} and {@code sum_k n_k} for every dense tensor {@code d} of the layout (such
 * as a classification head): the dense weighted mean that every strategy but FLASC uses for them.
 * Part of the padding, HetLoRA, FFA-LoRA ({@link PaddedSum}), FlexLoRA and FLoRA folds.
 */
public final class DenseSum implements Serializable {
    private static final long serialVersionUID = 2L;

    private final AdapterLayout layout;
    private final double[][] sums;
    private double weight;

    public DenseSum(AdapterLayout layout) {
        this.layout = layout;
        sums = new double[layout.dense().size()][];
        for (DenseTensor d : layout.dense()) sums[d.index()] = new double[d.size()];
    }

    /** Adds every dense tensor of {@code values} (indexed as the layout's) scaled by {@code weight}. */
    public void add(float[][] values, double weight) {
        for (int t = 0; t < sums.length; t++) {
            double[] s = sums[t];
            float[] v = values[t];
            for (int i = 0; i < s.length; i++) s[i] += weight * v[i];
        }
        this.weight += weight;
    }

    /** Adds every dense tensor of {@code p} scaled by {@code weight}. */
    public void add(Adapter p, double weight) {
        add(denseOf(p), weight);
    }

    /** The dense tensors of {@code p}, in layout order (not copied). */
    public static float[][] denseOf(Adapter p) {
        float[][] v = new float[p.layout.dense().size()][];
        for (DenseTensor d : p.layout.dense()) v[d.index()] = p.dense(d);
        return v;
    }

    /** Adds independent {@code N(0, stddev^2)} noise to every summed value, in layout order. */
    public void addNoise(double stddev, java.util.SplittableRandom rng) {
        for (double[] s : sums) PaddedSum.addNoise(s, stddev, rng);
    }

    /** Folds {@code other} (of the same layout) into this sum. */
    public void merge(DenseSum other) {
        for (int t = 0; t < sums.length; t++) {
            for (int i = 0; i < sums[t].length; i++) sums[t][i] += other.sums[t][i];
        }
        weight += other.weight;
    }

    /** Writes the weighted means into {@code out}'s dense tensors; leaves them as they are when nothing was added. */
    public void meanInto(Adapter out) {
        if (weight <= 0) return;
        for (DenseTensor d : layout.dense()) {
            float[] o = out.dense(d);
            double[] s = sums[d.index()];
            for (int i = 0; i < s.length; i++) o[i] = (float) (s[i] / weight);
        }
    }

    /** {@code sum_k n_k}, the summed weight of everything added. */
    public double weight() {
        return weight;
    }
}
