package dev.fedlora.engine;

import dev.fedlora.state.StateLocation;
import java.io.Serializable;

/**
 * A sampled client as shipped to an executor: its id and this round's rank; for a strategy whose
 * clients keep state, also the task that trains it and where its latest state lies (null when it has
 * none). Its data is derived there.
 */
public record ClientSlot(int clientId, int rank, int task, StateLocation state) implements Serializable {
    /** A client of a strategy that keeps no client state. */
    public ClientSlot(int clientId, int rank) {
        this(clientId, rank, 0, null);
    }
}
