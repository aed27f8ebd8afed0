package dev.fedlora.strategy.padding;

import dev.fedlora.strategy.PaddedSum;

/**
 * Dense LoRA FedAvg, the homogeneous baseline (McMahan et al., "Communication-Efficient Learning
 * of Deep Networks from Decentralized Data", 2017, applied to the LoRA factors and the head):
 * every client trains at the global rank, receives the whole adapter and sends it back densely,
 * and the server takes the weighted mean {@code theta = sum_k w_k theta_k},
 * {@code w_k = n_k / sum_j n_j}. This is {@link ZeroPadding} with equal ranks; unlike it,
 * {@code fedavg} refuses rank-heterogeneous clients ({@link #requiresEqualRanks()}).
 */
public class FedAvg extends PaddingStrategy {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean requiresEqualRanks() {
        return true;
    }

    @Override
    double divisor(PaddedSum sum, int slot) {
        return sum.totalWeight();
    }
}
