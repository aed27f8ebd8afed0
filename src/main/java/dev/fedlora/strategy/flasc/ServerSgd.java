package dev.fedlora.strategy.flasc;

import java.io.Serializable;

/**
 * {@code theta <- theta - eta g} with {@code g = start - mean}, evaluated as
 * {@code (theta - start) + ((1 - eta) start + eta mean)} so that with {@code eta = 1} every entry
 * the clients received becomes exactly the clients' weighted mean (FedAvg, bit for bit).
 */
public record ServerSgd(double learningRate) implements ServerOptimizer {
    /** @throws IllegalArgumentException if the learning rate is not positive */
    public ServerSgd {
        if (!(learningRate > 0)) throw new IllegalArgumentException("server learning rate must be > 0, found " + learningRate);
    }

    @Override
    public Serializable step(float[] theta, float[] start, double[] mean, Serializable state) {
        double keep = 1 - learningRate;
        for (int i = 0; i < theta.length; i++) {
            theta[i] = (float) (((double) theta[i] - start[i]) + (keep * start[i] + learningRate * mean[i]));
        }
        return null;
    }
}
