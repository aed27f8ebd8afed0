package dev.fedlora.strategy.flora;

import dev.fedlora.comm.WireSize;
import dev.fedlora.client.TrainingSpec;
import dev.fedlora.model.BaseDelta;
import dev.fedlora.model.Adapter;
import dev.fedlora.strategy.Download;

/**
 * FLoRA's download: every client starts from the restarted adapter ({@code A} from the round's
 * seed, {@code B = 0}) cut to its rank and the global head. On the wire are the head and
 * {@code baseUpdateValues} values that bring the client's copy of the original base up to date (see
 * {@link FloraState#baseUpdateValues}); {@code A} is derived from the shared seed and {@code B} is
 * zero, so neither is sent.
 */
public record FloraDownload(Adapter start, long baseUpdateValues, BaseDelta merged) implements Download {
    /** Clients train on the base with everything merged so far. */
    @Override
    public TrainingSpec training() {
        return TrainingSpec.PLAIN.withBaseDelta(merged);
    }

    @Override
    public Adapter startFor(int rank) {
        if (rank > start.rank) {
            throw new IllegalArgumentException("client rank " + rank + " exceeds the global rank " + start.rank);
        }
        return start.withRank(rank);
    }

    @Override
    public long bytesFor(int rank) {
        return WireSize.dense(baseUpdateValues + start.layout.denseValues());
    }
}
