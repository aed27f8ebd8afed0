package dev.fedlora.strategy.padding;

import dev.fedlora.client.TrainingSpec;
import dev.fedlora.strategy.GlobalModel;
import dev.fedlora.strategy.NoState;
import dev.fedlora.strategy.TruncatedDownload;

/**
 * FedProx (Li et al., "Federated Optimization in Heterogeneous Networks", MLSys 2020) on the LoRA
 * factors and the head: every client trains at the global rank on the local objective
 * {@code L_k(theta) + mu/2 ||theta - theta_global||^2} over its trainable values, which keeps
 * clients with skewed data near the global model; the server takes FedAvg's weighted mean
 * {@code theta = sum_k w_k theta_k}, {@code w_k = n_k / sum_j n_j}. With {@code mu = 0} this is
 * {@link FedAvg}. The proximal weight travels in the download's {@link TrainingSpec}; uploads and
 * bytes are FedAvg's.
 */
public final class FedProx extends FedAvg {
    private static final long serialVersionUID = 1L;

    private final TrainingSpec training;

    /** @throws IllegalArgumentException if {@code mu} is negative or not finite */
    public FedProx(double mu) {
        this.training = TrainingSpec.PLAIN.withProximalMu(mu);
    }

    @Override
    public TruncatedDownload download(GlobalModel<NoState> global, int round) {
        return new TruncatedDownload(global.adapter(), training);
    }
}
