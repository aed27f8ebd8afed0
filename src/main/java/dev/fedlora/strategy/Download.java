package dev.fedlora.strategy;

import dev.fedlora.client.TrainingSpec;
import dev.fedlora.model.Adapter;
import java.io.Serializable;

/**
 * What the server sends this round, broadcast once; each client cuts out its own part. Besides
 * the adapter it says how a client trains ({@link #training}): which tensors, on which base, with
 * which local objective; the round loop asks nothing else of a strategy.
 */
public interface Download extends Serializable {
    /** The adapter a client of rank {@code rank} starts local training from. */
    Adapter startFor(int rank);

    /** Bytes on the wire to a client of rank {@code rank}. */
    long bytesFor(int rank);

    /** How this round's clients train; plain LoRA training on the original base unless a strategy says otherwise. */
    default TrainingSpec training() {
        return TrainingSpec.PLAIN;
    }
}
