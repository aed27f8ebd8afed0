package dev.fedlora.strategy;

import java.io.Serializable;

/** What the server sends this round, broadcast once; each client cuts out its own part. */
public interface Download extends Serializable {
    /** The adapter a client of rank {@code rank} starts local training from. */
    dev.fedlora.model.LoraParams startFor(int rank);

    /** Bytes on the wire to a client of rank {@code rank}. */
    long bytesFor(int rank);
}
