package dev.fedlora.strategy;

import dev.fedlora.comm.WireSize;
import dev.fedlora.client.TrainingSpec;
import dev.fedlora.model.Adapter;

/**
 * The download of every {@link TruncatingStrategy} (the padding strategies, HetLoRA, FlexLoRA):
 * client {@code k} receives the first {@code r_k} rank slots ({@code A[:r_k, :]},
 * {@code B[:, :r_k]}) of the global adapter and the head, all dense. FFA-LoRA starts its clients
 * from it too.
 */
public record TruncatedDownload(Adapter global, TrainingSpec training) implements Download {
    /** Plain local training on the original base. */
    public TruncatedDownload(Adapter global) {
        this(global, TrainingSpec.PLAIN);
    }

    @Override
    public Adapter startFor(int rank) {
        if (rank > global.rank) {
            throw new IllegalArgumentException("client rank " + rank + " exceeds the global rank " + global.rank);
        }
        return global.withRank(rank);
    }

    @Override
    public long bytesFor(int rank) {
        return WireSize.dense((long) rank * global.layout.valuesPerRankSlot() + global.layout.denseValues());
    }
}
