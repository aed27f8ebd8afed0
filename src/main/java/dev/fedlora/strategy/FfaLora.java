package dev.fedlora.strategy;

import dev.fedlora.comm.WireSize;
import dev.fedlora.model.LoraParams;

/**
 * FFA-LoRA (Sun et al., "Improving LoRA in Privacy-preserving Federated Learning", ICLR 2024):
 * every {@code A} stays frozen at its seeded initialisation; clients train and send only {@code B}
 * (and the head), so an upload costs {@code 4 (r_k sum_l out_l + head values)} bytes. The server
 * zero-pads and averages: {@code B[:, j] = sum_k w_k B_k[:, j]}, {@code w_k = n_k / sum_j n_j},
 * head likewise. Because every client shares the same {@code A}, this is exactly the weighted
 * mean of the clients' products: {@code B A = sum_k w_k B_k A[:r_k, :]}.
 */
public final class FfaLora implements Strategy {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean trainsA() {
        return false;
    }

    @Override
    public Download download(GlobalModel global, int round) {
        return new FrozenADownload(global.adapter());
    }

    @Override
    public Upload upload(Download received, LoraParams start, LoraParams trained) {
        FactorB sent = FactorB.of(trained);
        return new Upload(sent, WireSize.dense(sent.values()));
    }

    @Override
    public Accumulator zero(GlobalModel global) {
        return new PaddedSum(global.adapter().shape, global.adapter().rank, false);
    }

    @Override
    public GlobalModel finish(Accumulator folded, GlobalModel previous, int round) {
        PaddedSum sum = (PaddedSum) folded;
        if (sum.count() == 0) return previous;
        return new GlobalModel(sum.average((layer, slot) -> sum.totalWeight(), previous.adapter()),
                previous.serverState());
    }
}
