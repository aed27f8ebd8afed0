package dev.fedlora.strategy;

import dev.fedlora.model.LoraParams;
import dev.fedlora.model.ModelShape;
import java.io.Serializable;

/**
 * {@code sum_k n_k head_k} and {@code sum_k n_k}: the dense weighted mean of the classification
 * head, which every strategy but FLASC averages this way.
 */
final class HeadSum implements Serializable {
    private static final long serialVersionUID = 1L;

    final double[] w;
    final double[] b;
    double weight;

    HeadSum(ModelShape shape) {
        w = new double[shape.classes() * shape.lastHidden()];
        b = new double[shape.classes()];
    }

    void add(float[] headW, float[] headB, double weight) {
        for (int i = 0; i < w.length; i++) w[i] += weight * headW[i];
        for (int i = 0; i < b.length; i++) b[i] += weight * headB[i];
        this.weight += weight;
    }

    void merge(HeadSum other) {
        for (int i = 0; i < w.length; i++) w[i] += other.w[i];
        for (int i = 0; i < b.length; i++) b[i] += other.b[i];
        weight += other.weight;
    }

    /** Writes the weighted mean into {@code out}'s head; leaves it as it is when nothing was added. */
    void meanInto(LoraParams out) {
        if (weight <= 0) return;
        for (int i = 0; i < w.length; i++) out.headW[i] = (float) (w[i] / weight);
        for (int i = 0; i < b.length; i++) out.headB[i] = (float) (b[i] / weight);
    }
}
