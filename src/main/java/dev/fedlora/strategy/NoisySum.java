package dev.fedlora.strategy;

import dev.fedlora.model.Adapter;
import java.util.SplittableRandom;

/**
 * A fold that DP-FedAvg ({@code strategy.dp.DpFedAvg}) can privatise: a sum of uploads with unit
 * weights, to which the server adds Gaussian noise and the weight of clients that sent their start
 * unchanged, so that the strategy's own average becomes {@code start + (sum_k delta_k + noise) / W}
 * for an expected cohort weight {@code W} fixed in advance. Implemented by {@link PaddedSum} (and so
 * FedAvg, FedProx and FFA-LoRA) and by FLASC's sparse sum.
 */
public interface NoisySum {
    /**
     * Folds in {@code weight} (possibly fractional or negative) of a client whose upload is
     * {@code start} unchanged, i.e. a zero delta; this makes the fold's divisor the expected weight
     * instead of the number of clients that reported. Counts as an update.
     */
    void addUnchanged(Adapter start, double weight);

    /**
     * Adds independent {@code N(0, stddev^2)} noise to the sum of every value a client can change
     * (frozen values, which no client's upload moves, get none), drawing from {@code rng} in a fixed
     * order so that the same seed gives the same noise.
     */
    void addNoise(double stddev, SplittableRandom rng);
}
