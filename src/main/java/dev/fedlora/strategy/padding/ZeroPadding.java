package dev.fedlora.strategy.padding;

import dev.fedlora.strategy.PaddedSum;

/**
 * Zero-padding: every upload is padded with zeros to {@code r_max} and averaged over all sampled
 * clients, {@code A[j] = sum_k w_k A_k[j]} with {@code w_k = n_k / sum_j n_j} (likewise the columns
 * of {@code B}). A slot owned by few clients is shrunk towards zero — the dilution described by
 * Byun &amp; Lee (2024). With equal ranks this is FedAvg of the factors.
 */
public final class ZeroPadding extends PaddingStrategy {
    private static final long serialVersionUID = 1L;

    @Override
    double divisor(PaddedSum sum, int slot) {
        return sum.totalWeight();
    }
}
