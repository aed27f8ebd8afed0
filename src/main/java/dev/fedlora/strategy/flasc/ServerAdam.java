package dev.fedlora.strategy.flasc;

import java.io.Serializable;

/**
 * Server Adam (Reddi et al., "Adaptive Federated Optimization", ICLR 2021; Kingma &amp; Ba 2015),
 * bias-corrected: at server step {@code t},
 * {@code m = beta1 m + (1 - beta1) g}, {@code v = beta2 v + (1 - beta2) g^2},
 * {@code theta <- theta - eta (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + epsilon)}, with
 * {@code m = v = 0} before the first step. The moments and {@code t} are the state.
 */
public record ServerAdam(double learningRate, double beta1, double beta2, double epsilon) implements ServerOptimizer {
    /** Adam's moments after {@code steps} server steps. */
    public record Moments(double[] m, double[] v, long steps) implements Serializable {}

    /** @throws IllegalArgumentException if a decay is outside [0, 1) or the rate or epsilon is not positive */
    public ServerAdam {
        if (!(learningRate > 0)) throw new IllegalArgumentException("server learning rate must be > 0, found " + learningRate);
        if (!(beta1 >= 0 && beta1 < 1)) throw new IllegalArgumentException("adam beta1 must be in [0, 1), found " + beta1);
        if (!(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("adam beta2 must be in [0, 1), found " + beta2);
        if (!(epsilon > 0)) throw new IllegalArgumentException("adam epsilon must be > 0, found " + epsilon);
    }

    @Override
    public Serializable step(float[] theta, float[] start, double[] mean, Serializable state) {
        Moments previous = state instanceof Moments s ? s : null;
        double[] m = previous == null ? new double[theta.length] : previous.m().clone();
        double[] v = previous == null ? new double[theta.length] : previous.v().clone();
        long t = (previous == null ? 0 : previous.steps()) + 1;
        double correct1 = 1 - Math.pow(beta1, t);
        double correct2 = 1 - Math.pow(beta2, t);
        for (int i = 0; i < theta.length; i++) {
            double g = start[i] - mean[i];
            m[i] = beta1 * m[i] + (1 - beta1) * g;
            v[i] = beta2 * v[i] + (1 - beta2) * g * g;
            theta[i] = (float) (theta[i] - learningRate * (m[i] / correct1) / (Math.sqrt(v[i] / correct2) + epsilon));
        }
        return new Moments(m, v, t);
    }
}
