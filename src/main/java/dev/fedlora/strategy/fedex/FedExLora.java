package dev.fedlora.strategy.fedex;

import dev.fedlora.comm.WireSize;
import dev.fedlora.model.Adapter;
import dev.fedlora.model.AdapterLayout;
import dev.fedlora.model.LoraTarget;
import dev.fedlora.strategy.GlobalModel;
import dev.fedlora.strategy.Strategy;
import dev.fedlora.strategy.Upload;

/**
 * FedEx-LoRA (Singhal et al., "FedEx-LoRA: Exact Aggregation for Federated and Efficient
 * Fine-Tuning of Foundation Models", ACL 2025): every client trains at the same rank {@code r}; the
 * server averages the factors as FedAvg does, {@code A = sum_k w_k A_k}, {@code B = sum_k w_k B_k}
 * with {@code w_k = n_k / sum_j n_j} (the dense tensors likewise), and merges the residual into the
 * frozen weight of each LoRA target, {@code W <- W + s (sum_k w_k B_k A_k - B A)} with {@code s} the
 * LoRA scale, so that {@code W + s B A = W_old + s sum_k w_k B_k A_k = sum_k w_k (W_old + s B_k A_k)}
 * exactly (up to float rounding). Clients train on the merged base and are evaluated on it.
 *
 * <p>Bytes down: the dense global adapter plus what brings the original base up to date
 * ({@link FedExState#baseUpdateValues}). A round of {@code K} clients leaves a residual of rank at
 * most {@code (K + 1) r}, {@code [w_1 B_1, ..., w_K B_K, -B] [A_1; ...; A_K; A]}, i.e.
 * {@code (K + 1) r (in + out)} values as factors; per LoRA target a client is charged the cheaper of
 * the dense out x in delta and the factors of every residual merged so far (the server keeps nothing
 * per client, so every client is charged as one that holds only the original base, as for FLoRA).
 * Bytes up: the client's dense adapter.
 */
public final class FedExLora implements Strategy<FedExDownload, Adapter, ExactSum, FedExState> {
    private static final long serialVersionUID = 1L;

    private final float scale;

    /**
     * @param scale the LoRA scale {@code alpha / r_max} the clients train with
     * @throws IllegalArgumentException if the scale is not positive and finite
     */
    public FedExLora(float scale) {
        if (!(scale > 0 && Float.isFinite(scale))) {
            throw new IllegalArgumentException("LoRA scale must be > 0 and finite, found " + scale);
        }
        this.scale = scale;
    }

    @Override
    public boolean requiresEqualRanks() {
        return true;
    }

    @Override
    public FedExState initialState() {
        return FedExState.EMPTY;
    }

    @Override
    public FedExDownload download(GlobalModel<FedExState> global, int round) {
        FedExState state = global.serverState();
        return new FedExDownload(global.adapter(), state.baseUpdateValues(), state.merged());
    }

    @Override
    public Upload<Adapter> upload(FedExDownload received, Adapter start, Adapter trained) {
        return new Upload<>(trained, WireSize.dense(trained.size()));
    }

    @Override
    public ExactSum zero(AdapterLayout layout, int maxRank) {
        return new ExactSum(layout, maxRank);
    }

    @Override
    public GlobalModel<FedExState> finish(ExactSum sum, GlobalModel<FedExState> previous, int round) {
        if (sum.count() == 0) return previous;
        Adapter mean = sum.average(previous.adapter());
        double[][] residual = new double[mean.layout.targets().size()][];
        for (LoraTarget t : mean.layout.targets()) residual[t.index()] = sum.residual(t, mean);
        FedExState state = previous.serverState().merge(mean.layout, residual, scale, sum.count(), mean.rank);
        return new GlobalModel<>(mean, state);
    }
}
