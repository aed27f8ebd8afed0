package dev.fedlora.strategy;

import java.io.Serializable;

/**
 * How the FLASC server applies the round's pseudo-gradient {@code g = sum_k w_k delta_k}
 * ({@code w_k = n_k / sum_j n_j}) to {@code theta}.
 */
public interface ServerOptimizer extends Serializable {
    /**
     * Steps {@code theta} in place along {@code g = weightedSum / totalWeight}.
     *
     * @param state what this optimizer returned after its previous step, or null before the first
     * @return the optimizer's state after this step (null if it keeps none)
     */
    Serializable step(float[] theta, double[] weightedSum, double totalWeight, Serializable state);
}
