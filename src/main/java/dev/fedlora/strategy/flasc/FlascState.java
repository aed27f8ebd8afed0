package dev.fedlora.strategy.flasc;

import java.io.Serializable;
import java.util.BitSet;

/**
 * FLASC's server state: the round-1 download mask when the mask is frozen (else null), and the
 * server optimizer's state (null for SGD).
 */
public record FlascState(BitSet downloadMask, Serializable optimizerState) implements Serializable {
    static final FlascState EMPTY = new FlascState(null, null);
}
