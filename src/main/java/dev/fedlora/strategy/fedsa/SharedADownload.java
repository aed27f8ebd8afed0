package dev.fedlora.strategy.fedsa;

import dev.fedlora.comm.WireSize;
import dev.fedlora.model.Adapter;
import dev.fedlora.model.LoraTarget;
import dev.fedlora.strategy.Download;
import java.util.Arrays;

/**
 * FedSA-LoRA's download: every {@code A} and the head of the global adapter, densely; no {@code B}
 * crosses the wire. {@link #startFor} is where a client without a state starts: the shared parts
 * and {@code B = 0}.
 */
public record SharedADownload(Adapter global) implements Download {
    /** @throws IllegalArgumentException if {@code rank} is not the global rank */
    @Override
    public Adapter startFor(int rank) {
        if (rank != global.rank) {
            throw new IllegalArgumentException("fedsa_lora needs every client at rank " + global.rank + ", found " + rank);
        }
        Adapter start = global.copy();
        for (LoraTarget t : start.layout.targets()) Arrays.fill(start.b(t), 0f);
        return start;
    }

    @Override
    public long bytesFor(int rank) {
        long inputs = 0;
        for (LoraTarget t : global.layout.targets()) inputs += t.in();
        return WireSize.dense(rank * inputs + global.layout.denseValues());
    }
}
