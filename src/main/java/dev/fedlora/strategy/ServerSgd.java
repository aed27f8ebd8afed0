package dev.fedlora.strategy;

import java.io.Serializable;

/** {@code theta <- theta - eta g}; with {@code eta = 1} the server takes the clients' weighted mean (FedAvg). */
public record ServerSgd(double learningRate) implements ServerOptimizer {
    /** @throws IllegalArgumentException if the learning rate is not positive */
    public ServerSgd {
        if (!(learningRate > 0)) throw new IllegalArgumentException("server learning rate must be > 0, found " + learningRate);
    }

    @Override
    public Serializable step(float[] theta, double[] weightedSum, double totalWeight, Serializable state) {
        double step = learningRate / totalWeight;
        for (int i = 0; i < theta.length; i++) theta[i] = (float) (theta[i] - step * weightedSum[i]);
        return null;
    }
}
