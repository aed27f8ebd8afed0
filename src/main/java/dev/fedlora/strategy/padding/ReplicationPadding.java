package dev.fedlora.strategy.padding;

import dev.fedlora.strategy.PaddedSum;

/**
 * Replication padding (Byun &amp; Lee, "Towards Federated Low-Rank Adaptation with
 * Rank-Heterogeneous Communication", 2024): rank slot {@code j} is averaged only over the sampled
 * clients that own it,
 * {@code A[j] = sum_{k: r_k > j} w_k A_k[j] / sum_{k: r_k > j} w_k} (likewise the columns of
 * {@code B}) — the low-rank clients' padding is filled with the high-rank clients' weighted mean.
 * A slot owned by no sampled client keeps its previous global value. The head is averaged over all.
 */
public final class ReplicationPadding extends PaddingStrategy {
    private static final long serialVersionUID = 1L;

    @Override
    double divisor(PaddedSum sum, int slot) {
        return sum.slotWeight(slot);
    }
}
