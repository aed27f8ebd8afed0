package dev.fedlora.model;

/**
 * A plain double-precision forward pass of the LoRA MLP (every hidden layer adapted), written for
 * clarity, against which the ND4J path and its gradients are checked.
 */
public final class ReferenceLoraMlp {
    private ReferenceLoraMlp() {}

    /** Mean softmax cross-entropy of {@code p} on the n x inputs batch {@code x}. */
    public static double loss(BaseMlp base, Adapter p, double scale, double[][] x, int[] y) {
        int[] sizes = base.sizes();
        int hidden = sizes.length - 2;
        int lastHidden = sizes[hidden];
        float[] headW = p.dense("head.weight");
        float[] headB = p.dense("head.bias");
        int classes = headB.length;
        double total = 0;
        for (int i = 0; i < x.length; i++) {
            double[] h = x[i];
            for (int l = 0; l < hidden; l++) h = layer(base, p, scale, l, h);
            double[] logits = new double[classes];
            for (int k = 0; k < classes; k++) {
                double v = headB[k];
                for (int j = 0; j < lastHidden; j++) v += headW[k * lastHidden + j] * h[j];
                logits[k] = v;
            }
            double max = Double.NEGATIVE_INFINITY;
            for (double v : logits) max = Math.max(max, v);
            double sum = 0;
            for (double v : logits) sum += Math.exp(v - max);
            total += Math.log(sum) + max - logits[y[i]];
        }
        return total / x.length;
    }

    /** relu(h W^T + b + s (h A^T) B^T) for one example. */
    private static double[] layer(BaseMlp base, Adapter p, double scale, int l, double[] h) {
        int in = base.sizes()[l], out = base.sizes()[l + 1], r = p.rank;
        double[] u = new double[r];
        for (int j = 0; j < r; j++) {
            for (int i = 0; i < in; i++) u[j] += p.a(l)[j * in + i] * h[i];
        }
        double[] z = new double[out];
        for (int o = 0; o < out; o++) {
            double v = base.bias(l)[o];
            for (int i = 0; i < in; i++) v += base.weight(l)[o * in + i] * h[i];
            for (int j = 0; j < r; j++) v += scale * p.b(l)[o * r + j] * u[j];
            z[o] = Math.max(0, v);
        }
        return z;
    }
}
