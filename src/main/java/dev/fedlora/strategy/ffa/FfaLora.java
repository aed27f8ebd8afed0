package dev.fedlora.strategy.ffa;

import dev.fedlora.comm.WireSize;
import dev.fedlora.model.Adapter;
import dev.fedlora.model.AdapterLayout;
import dev.fedlora.strategy.GlobalModel;
import dev.fedlora.strategy.Factor;
import dev.fedlora.strategy.NoState;
import dev.fedlora.strategy.OneFactor;
import dev.fedlora.strategy.PaddedSum;
import dev.fedlora.strategy.Strategy;
import dev.fedlora.strategy.Upload;

/**
 * FFA-LoRA (Sun et al., "Improving LoRA in Privacy-preserving Federated Learning", ICLR 2024):
 * every {@code A} stays frozen at its seeded initialisation; clients train and send only {@code B}
 * (and the head), so an upload costs {@code 4 (r_k sum_l out_l + head values)} bytes. The server
 * zero-pads and averages: {@code B[:, j] = sum_k w_k B_k[:, j]}, {@code w_k = n_k / sum_j n_j},
 * head likewise. Because every client shares the same {@code A}, this is exactly the weighted
 * mean of the clients' products: {@code B A = sum_k w_k B_k A[:r_k, :]}.
 */
public final class FfaLora implements Strategy<FrozenADownload, OneFactor, FactorBSum, NoState> {
    private static final long serialVersionUID = 1L;

    @Override
    public NoState initialState() {
        return NoState.NONE;
    }

    @Override
    public FrozenADownload download(GlobalModel<NoState> global, int round) {
        return new FrozenADownload(global.adapter());
    }

    @Override
    public Upload<OneFactor> upload(FrozenADownload received, Adapter start, Adapter trained) {
        OneFactor sent = OneFactor.of(trained, Factor.B);
        return new Upload<>(sent, WireSize.dense(sent.values()));
    }

    @Override
    public FactorBSum zero(AdapterLayout layout, int maxRank) {
        return new FactorBSum(layout, maxRank);
    }

    @Override
    public GlobalModel<NoState> finish(FactorBSum folded, GlobalModel<NoState> previous, int round) {
        if (folded.count() == 0) return previous;
        PaddedSum sum = folded.sum;
        return previous.withAdapter(sum.average((target, slot) -> sum.totalWeight(), previous.adapter()));
    }
}
