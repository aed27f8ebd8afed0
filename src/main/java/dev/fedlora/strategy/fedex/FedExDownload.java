package dev.fedlora.strategy.fedex;

import dev.fedlora.client.TrainingSpec;
import dev.fedlora.comm.WireSize;
import dev.fedlora.model.Adapter;
import dev.fedlora.model.BaseDelta;
import dev.fedlora.strategy.Download;
import dev.fedlora.strategy.TruncatedDownload;

/**
 * FedEx-LoRA's download: the global adapter (the averaged factors and head), dense, plus
 * {@code baseUpdateValues} values that bring the client's copy of the original base up to date (see
 * {@link FedExState#baseUpdateValues}); clients train on the base with everything merged so far.
 */
public record FedExDownload(Adapter global, long baseUpdateValues, BaseDelta merged) implements Download {
    @Override
    public TrainingSpec training() {
        return TrainingSpec.PLAIN.withBaseDelta(merged);
    }

    @Override
    public Adapter startFor(int rank) {
        return new TruncatedDownload(global).startFor(rank);
    }

    @Override
    public long bytesFor(int rank) {
        return WireSize.dense((long) rank * global.layout.valuesPerRankSlot() + global.layout.denseValues()
                + baseUpdateValues);
    }
}
