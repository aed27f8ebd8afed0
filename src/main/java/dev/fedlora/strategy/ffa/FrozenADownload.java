package dev.fedlora.strategy.ffa;

import dev.fedlora.comm.WireSize;
import dev.fedlora.client.TrainingSpec;
import dev.fedlora.model.Adapter;
import dev.fedlora.model.LoraTarget;
import dev.fedlora.strategy.Download;
import dev.fedlora.strategy.TruncatedDownload;

/**
 * FFA-LoRA's download: client {@code k} starts from the first {@code r_k} rank slots of the global
 * adapter, but only {@code B[:, :r_k]} and the head cross the wire — {@code A} never changes from
 * its seeded initialisation, which every client derives from the experiment seed.
 */
public record FrozenADownload(Adapter global) implements Download {
    @Override
    public Adapter startFor(int rank) {
        return new TruncatedDownload(global).startFor(rank);
    }

    /** Every {@code A} stays at its seeded initialisation. */
    @Override
    public TrainingSpec training() {
        return TrainingSpec.PLAIN.withTrainsA(false);
    }

    @Override
    public long bytesFor(int rank) {
        long outputs = 0;
        for (LoraTarget t : global.layout.targets()) outputs += t.out();
        return WireSize.dense(rank * outputs + global.layout.denseValues());
    }
}
