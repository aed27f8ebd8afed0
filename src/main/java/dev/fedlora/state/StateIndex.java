package dev.fedlora.state;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The driver's map from a client to where its latest state lies. A round looks up its m sampled
 * clients and records the m states its tasks wrote, so its cost grows with m; the map holds one
 * small entry per client that has taken part. Not checkpointed: {@link ClientStateStore#index}
 * rebuilds it from the state files of the rounds up to a checkpoint.
 */
public final class StateIndex {
    private final Map<Integer, StateLocation> latest = new HashMap<>();

    /** Where client {@code client}'s latest state lies; empty for a client that has none. */
    public Optional<StateLocation> locationOf(int client) {
        return Optional.ofNullable(latest.get(client));
    }

    /** Records the states of a round, or of a later file of the same round order: each replaces the client's previous one. */
    public void putAll(Map<Integer, StateLocation> written) {
        latest.putAll(written);
    }

    /** Clients with a state. */
    public int size() {
        return latest.size();
    }

    /** A copy of the whole map, for tests that compare two indexes. */
    public Map<Integer, StateLocation> asMap() {
        return Map.copyOf(latest);
    }
}
