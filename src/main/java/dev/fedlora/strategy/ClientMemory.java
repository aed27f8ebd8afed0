package dev.fedlora.strategy;

import dev.fedlora.comm.Payload;
import dev.fedlora.model.Adapter;
import dev.fedlora.state.ClientState;
import java.io.Serializable;
import java.util.Optional;

/**
 * The client-side half of a strategy whose clients remember something between their rounds
 * ({@link Strategy#clientMemory}): how a client starts from the download and what it kept last time,
 * and what it sends and keeps after training. The round loop reads and writes the states
 * ({@link dev.fedlora.state.ClientStateStore}); the strategy only says what they mean. A client's
 * state is empty before its first participation, and stays as it was in a round the client drops out
 * of or whose update is rejected.
 *
 * @param <D> the strategy's download
 * @param <P> the strategy's upload payload
 */
public interface ClientMemory<D extends Download, P extends Payload> extends Serializable {
    /** What a client sends, and what it keeps for its next participation. */
    record Remembered<P extends Payload>(Upload<P> upload, ClientState next) implements Serializable {}

    /** The adapter a client of rank {@code rank} trains from, given what it kept (empty at its first round). */
    Adapter start(D received, int rank, Optional<ClientState> previous);

    /** The upload of a client that trained {@code start} into {@code trained}, and its next state. */
    Remembered<P> upload(D received, Adapter start, Adapter trained, Optional<ClientState> previous);

    /**
     * True when {@link #start} is the client's own model rather than the global one, so that its
     * accuracy on the client's held-out split, before local training, is a personalised accuracy
     * (reported as {@code personal_accuracy_*}).
     */
    default boolean personalised() {
        return false;
    }
}
