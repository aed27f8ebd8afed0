package dev.fedlora.strategy.hetlora;

import dev.fedlora.model.Adapter;
import dev.fedlora.model.AdapterLayout;
import dev.fedlora.strategy.GlobalModel;
import dev.fedlora.strategy.LowRank;
import dev.fedlora.strategy.PaddedSum;
import dev.fedlora.strategy.TruncatedDownload;
import dev.fedlora.strategy.TruncatingStrategy;
import dev.fedlora.strategy.Upload;

/**
 * HetLoRA (Cho et al., "Heterogeneous LoRA for Federated Fine-tuning of On-Device Foundation
 * Models", EMNLP 2024). Client {@code k} receives the first {@code r_k} rank slots of the global
 * adapter (truncation). The server zero-pads every upload to {@code r_max} and weights each client
 * by the size of its update, per adapted layer {@code l}:
 * {@code A_l[j] = sum_k c_kl A_kl[j] / sum_k c_kl} with {@code c_kl = ||B_kl A_kl||_F} (likewise the
 * columns of {@code B_l}; a padded slot counts as zero), the paper's sparsity-weighted aggregation,
 * which does not use {@code n_k}. A layer whose every upload has {@code B A = 0} keeps its previous
 * value. The head is averaged densely by {@code n_k}.
 *
 * <p>Rank self-pruning (threshold {@code t > 0}): slot {@code j} of a trained adapter has the share
 * {@code m_j / sum_i m_i} with {@code m_j = sum_l ||B_l[:, j]|| ||A_l[j, :]||}; the client drops
 * trailing slots while the last one's share is below {@code t} (never below rank 1; nothing when
 * every {@code m_j} is 0) and uploads the truncated adapter, paying for the slots it sends. The
 * server remembers the pruned rank in the global model's server state ({@link PrunedRanks}) and
 * caps the client's rank there in later rounds.
 */
public final class HetLora extends TruncatingStrategy<HetLoraSum, PrunedRanks> {
    private static final long serialVersionUID = 1L;

    private final double pruneThreshold;

    /** @throws IllegalArgumentException if the threshold is outside [0, 1) */
    public HetLora(double pruneThreshold) {
        if (!(pruneThreshold >= 0 && pruneThreshold < 1)) {
            throw new IllegalArgumentException("prune threshold must be in [0, 1), found " + pruneThreshold);
        }
        this.pruneThreshold = pruneThreshold;
    }

    @Override
    public PrunedRanks initialState() {
        return PrunedRanks.NONE;
    }

    @Override
    public Upload<Adapter> upload(TruncatedDownload received, Adapter start, Adapter trained) {
        int keep = prunedRank(trained, pruneThreshold);
        Adapter sent = keep == trained.rank ? trained : trained.withRank(keep);
        return new Upload<>(sent, received.bytesFor(keep));
    }

    /** The rank a client keeps after dropping trailing slots whose share is below {@code threshold}. */
    static int prunedRank(Adapter trained, double threshold) {
        if (threshold == 0) return trained.rank;
        double[] magnitude = LowRank.slotMagnitudes(trained);
        double total = 0;
        for (double m : magnitude) total += m;
        if (total == 0) return trained.rank;
        int keep = trained.rank;
        while (keep > 1 && magnitude[keep - 1] / total < threshold) keep--;
        return keep;
    }

    @Override
    public int rankFor(int client, int policyRank, GlobalModel<PrunedRanks> global) {
        return global.serverState().cap(client, policyRank);
    }

    @Override
    public HetLoraSum zero(AdapterLayout layout, int maxRank) {
        return new HetLoraSum(layout, maxRank);
    }

    @Override
    public GlobalModel<PrunedRanks> finish(HetLoraSum het, GlobalModel<PrunedRanks> previous, int round) {
        if (het.count() == 0) return previous;
        PaddedSum sum = het.sum;
        Adapter adapter = sum.average((target, slot) -> sum.targetWeight(target), previous.adapter());
        return new GlobalModel<>(adapter, previous.serverState().with(het.pruned));
    }
}
