package dev.fedlora.strategy.fedsa;

import dev.fedlora.comm.WireSize;
import dev.fedlora.model.Adapter;
import dev.fedlora.model.AdapterLayout;
import dev.fedlora.strategy.ClientMemory;
import dev.fedlora.strategy.Factor;
import dev.fedlora.strategy.FactorSum;
import dev.fedlora.strategy.GlobalModel;
import dev.fedlora.strategy.NoState;
import dev.fedlora.strategy.OneFactor;
import dev.fedlora.strategy.Strategy;
import dev.fedlora.strategy.Upload;
import java.util.Optional;

/**
 * FedSA-LoRA (Guo et al., "Selective Aggregation for Low-Rank Adaptation in Federated Learning",
 * ICLR 2025): {@code A} learns what clients share and {@code B} what is their own. Every client
 * trains at the same rank; the server averages the {@code A}s and the head,
 * {@code A = sum_k w_k A_k}, {@code w_k = n_k / sum_j n_j} (head likewise), while client {@code k}'s
 * {@code B_k} never leaves it: it is the client's state ({@link PrivateB}), 0 at its first round.
 * Only {@code A} and the head travel, {@code 4 (r sum_t in_t + head values)} bytes each way.
 *
 * <p>The global adapter's {@code B} stays 0, so the global test accuracy measures the shared parts
 * alone (the base with the averaged head: {@code s x A^T B^T = 0}). What the method is for, each
 * client's own model, is measured on the sampled clients' held-out splits before their local
 * training ({@code personal_accuracy_*}, with {@code eval.clients > 0}).
 */
public final class FedSaLora implements Strategy<SharedADownload, OneFactor, FactorSum, NoState> {
    private static final long serialVersionUID = 1L;

    @Override
    public NoState initialState() {
        return NoState.NONE;
    }

    @Override
    public boolean requiresEqualRanks() {
        return true;
    }

    @Override
    public SharedADownload download(GlobalModel<NoState> global, int round) {
        return new SharedADownload(global.adapter());
    }

    /** The upload of a client with no kept {@code B}; the round loop uses {@link #clientMemory}. */
    @Override
    public Upload<OneFactor> upload(SharedADownload received, Adapter start, Adapter trained) {
        OneFactor sent = OneFactor.of(trained, Factor.A);
        return new Upload<>(sent, WireSize.dense(sent.values()));
    }

    @Override
    public Optional<ClientMemory<SharedADownload, OneFactor>> clientMemory() {
        return Optional.of(new PrivateB());
    }

    @Override
    public FactorSum zero(AdapterLayout layout, int maxRank) {
        return new FactorSum(layout, maxRank);
    }

    @Override
    public GlobalModel<NoState> finish(FactorSum folded, GlobalModel<NoState> previous, int round) {
        if (folded.count() == 0) return previous;
        return previous.withAdapter(folded.average(previous.adapter()));
    }
}
