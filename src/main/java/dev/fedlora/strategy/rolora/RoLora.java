package dev.fedlora.strategy.rolora;

import dev.fedlora.comm.WireSize;
import dev.fedlora.model.Adapter;
import dev.fedlora.model.AdapterLayout;
import dev.fedlora.strategy.Factor;
import dev.fedlora.strategy.FactorSum;
import dev.fedlora.strategy.GlobalModel;
import dev.fedlora.strategy.NoState;
import dev.fedlora.strategy.OneFactor;
import dev.fedlora.strategy.Strategy;
import dev.fedlora.strategy.Upload;

/**
 * RoLoRA (Chen et al., "Robust Federated Finetuning of LLMs via Alternating Optimization of LoRA",
 * 2025): every client trains at the same rank; in odd rounds clients train {@code B} (and the dense
 * tensors) with every {@code A} frozen, in even rounds {@code A} with every {@code B} frozen, and the
 * server averages only the factor that was trained, {@code w_k = n_k / sum_j n_j}. As every client
 * shares the frozen factor, each average is the exact weighted mean of the clients' products:
 * {@code (sum_k w_k B_k) A = sum_k w_k B_k A} in odd rounds, {@code B (sum_k w_k A_k) = sum_k w_k B A_k}
 * in even ones. The dense tensors are averaged by {@code n_k} every round.
 *
 * <p>Bytes down: the whole adapter and the head, dense. Bytes up: the trained factor and the dense
 * tensors, {@code 4 (r sum_t out_t + dense)} in odd rounds and {@code 4 (r sum_t in_t + dense)} in
 * even ones.
 */
public final class RoLora implements Strategy<AlternatingDownload, OneFactor, FactorSum, NoState> {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean requiresEqualRanks() {
        return true;
    }

    @Override
    public NoState initialState() {
        return NoState.NONE;
    }

    @Override
    public AlternatingDownload download(GlobalModel<NoState> global, int round) {
        return new AlternatingDownload(global.adapter(), trainedIn(round));
    }

    @Override
    public Upload<OneFactor> upload(AlternatingDownload received, Adapter start, Adapter trained) {
        OneFactor sent = OneFactor.of(trained, received.trained());
        return new Upload<>(sent, WireSize.dense(sent.values()));
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

    /** The factor round {@code round} trains: {@code B} when it is odd, {@code A} when it is even. */
    static Factor trainedIn(int round) {
        return Math.floorMod(round, 2) == 1 ? Factor.B : Factor.A;
    }
}
