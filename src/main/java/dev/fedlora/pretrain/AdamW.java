package dev.fedlora.pretrain;

/**
 * AdamW (Loshchilov and Hutter, "Decoupled Weight Decay Regularization", 2019) over a fixed list of
 * float tensors, as PyTorch's {@code torch.optim.AdamW} computes it. Step {@code t = 1, 2, ...} with
 * learning rate {@code lr}, for each value {@code p} with gradient {@code g}:
 * <pre>
 *   p  <- p - lr * lambda * p                 only for tensors with decay (decoupled: not through m, v)
 *   m  <- beta1 m + (1 - beta1) g
 *   v  <- beta2 v + (1 - beta2) g^2
 *   p  <- p - lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + epsilon)
 * </pre>
 * Each value is computed in double and stored as float (moments included), in tensor and index
 * order, so the same inputs give the same bits. Not thread-safe.
 */
public final class AdamW {
    /**
     * @param beta1 the first moment's decay, in [0, 1)
     * @param beta2 the second moment's decay, in [0, 1)
     * @param epsilon added to the root of the second moment, > 0
     * @param weightDecay lambda, >= 0, applied to the tensors marked for decay
     */
    public record Hyper(double beta1, double beta2, double epsilon, double weightDecay) {
        /** @throws IllegalArgumentException naming the field and the value */
        public Hyper {
            if (!(beta1 >= 0 && beta1 < 1)) throw new IllegalArgumentException("beta1 must be in [0, 1), found " + beta1);
            if (!(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("beta2 must be in [0, 1), found " + beta2);
            if (!(epsilon > 0)) throw new IllegalArgumentException("epsilon must be > 0, found " + epsilon);
            if (!(weightDecay >= 0 && Double.isFinite(weightDecay))) {
                throw new IllegalArgumentException("weightDecay must be >= 0, found " + weightDecay);
            }
        }
    }

    private final float[][] params;
    private final boolean[] decay;
    private final Hyper hyper;
    private final float[][] m;
    private final float[][] v;
    private long steps;

    /**
     * @param params the live tensors it updates in place
     * @param decay per tensor, whether weight decay applies to it
     * @throws IllegalArgumentException if the lists differ in length
     */
    public AdamW(float[][] params, boolean[] decay, Hyper hyper) {
        if (params.length != decay.length) {
            throw new IllegalArgumentException(params.length + " tensors but " + decay.length + " decay flags");
        }
        this.params = params.clone();
        this.decay = decay.clone();
        this.hyper = hyper;
        m = new float[params.length][];
        v = new float[params.length][];
        for (int i = 0; i < params.length; i++) {
            m[i] = new float[params[i].length];
            v[i] = new float[params[i].length];
        }
    }

    /** Steps taken so far ({@code t} of the last step). */
    public long steps() {
        return steps;
    }

    /**
     * One step.
     * @param grads per tensor, the gradient (same shapes as the parameters); not modified
     * @param lr this step's learning rate, >= 0
     * @throws IllegalArgumentException if a gradient's shape differs or lr is negative
     */
    public void step(float[][] grads, double lr) {
        if (grads.length != params.length) {
            throw new IllegalArgumentException("expected " + params.length + " gradient tensors, found " + grads.length);
        }
        for (int i = 0; i < grads.length; i++) {
            if (grads[i].length != params[i].length) {
                throw new IllegalArgumentException("gradient " + i + " has " + grads[i].length + " values, the parameter "
                        + params[i].length);
            }
        }
        if (!(lr >= 0)) throw new IllegalArgumentException("learning rate must be >= 0, found " + lr);
        steps++;
        double b1 = hyper.beta1(), b2 = hyper.beta2(), eps = hyper.epsilon();
        double c1 = 1 - Math.pow(b1, steps), c2 = 1 - Math.pow(b2, steps);
        double shrink = 1 - lr * hyper.weightDecay();
        for (int i = 0; i < params.length; i++) {
            float[] p = params[i], g = grads[i], mi = m[i], vi = v[i];
            boolean decays = decay[i];
            for (int j = 0; j < p.length; j++) {
                double gj = g[j];
                double mj = b1 * mi[j] + (1 - b1) * gj;
                double vj = b2 * vi[j] + (1 - b2) * gj * gj;
                mi[j] = (float) mj;
                vi[j] = (float) vj;
                double pj = decays ? p[j] * shrink : p[j];
                p[j] = (float) (pj - lr * (mj / c1) / (Math.sqrt(vj / c2) + eps));
            }
        }
    }

    /** The global L2 norm of every value of every tensor, summed in double in tensor and index order. */
    public static double globalNorm(float[][] tensors) {
        double sum = 0;
        for (float[] t : tensors) for (float x : t) sum += (double) x * x;
        return Math.sqrt(sum);
    }

    /**
     * Clipping by global norm: if {@link #globalNorm} exceeds {@code maxNorm}, scales every value by
     * {@code maxNorm / norm} (one float factor).
     * @return the norm before clipping
     */
    public static double clipGlobalNorm(float[][] tensors, double maxNorm) {
        double norm = globalNorm(tensors);
        if (norm > maxNorm) {
            float factor = (float) (maxNorm / norm);
            for (float[] t : tensors) for (int j = 0; j < t.length; j++) t[j] *= factor;
        }
        return norm;
    }
}
