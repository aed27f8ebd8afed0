package dev.fedlora.strategy.flasc;

import java.io.Serializable;

/**
 * How the FLASC server applies the round's pseudo-gradient {@code g = start - mean} to
 * {@code theta}: {@code start = M . theta} is what the clients received and {@code mean} the
 * clients' weighted mean of their trained values ({@code w_k = n_k / sum_j n_j}), so that
 * {@code g = sum_k w_k delta_k}.
 */
public interface ServerOptimizer extends Serializable {
    /**
     * Steps {@code theta} in place along {@code g = start - mean}.
     *
     * @param state what this optimizer returned after its previous step, or null before the first
     * @return the optimizer's state after this step (null if it keeps none)
     */
    Serializable step(float[] theta, float[] start, double[] mean, Serializable state);
}
