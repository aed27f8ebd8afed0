package dev.fedlora.strategy;

import dev.fedlora.comm.Payload;
import dev.fedlora.model.Adapter;
import dev.fedlora.model.AdapterLayout;
import java.io.Serializable;
import java.util.Optional;

/**
 * An aggregation strategy in two halves: what clients get ({@link #download}) and how their
 * updates combine ({@link #upload} on the client, then an {@link Accumulator} folded by
 * {@link #zero}, add, merge and {@link #finish}). Pure functions of their arguments; nothing here
 * knows about Spark. The type parameters make a wrong mix of download, payload, accumulator and
 * server state a compile error rather than a cast that fails at run time.
 *
 * @param <D> what the server sends each round, including how clients train ({@link Download#training})
 * @param <P> what a client uploads
 * @param <A> the fold over uploads
 * @param <S> what the server keeps between rounds ({@link NoState} for none)
 */
public interface Strategy<D extends Download, P extends Payload, A extends Accumulator<P, A>, S extends Serializable>
        extends Serializable {
    /** The server state before round 1. */
    S initialState();

    /** Server side, once a round: the payload broadcast to this round's clients. */
    D download(GlobalModel<S> global, int round);

    /** Client side: encodes the trained adapter of a client that received {@code received}. */
    Upload<P> upload(D received, Adapter start, Adapter trained);

    /**
     * An empty fold; built on executors too, so it gets the shapes only, never the server state.
     *
     * @param maxRank the global adapter's rank
     */
    A zero(AdapterLayout layout, int maxRank);

    /**
     * The next global model; with no updates folded in, the previous one unchanged.
     *
     * @param round the round whose updates were folded: its clients received {@code download(previous, round)}
     */
    GlobalModel<S> finish(A folded, GlobalModel<S> previous, int round);

    /**
     * The rank client {@code client} trains at this round, given the rank its rank policy assigns;
     * a strategy that adapts ranks (for example by rank self-pruning) keeps what it needs in its
     * server state.
     */
    default int rankFor(int client, int policyRank, GlobalModel<S> global) {
        return policyRank;
    }

    /**
     * What this strategy's clients remember between their rounds: empty (the default) when a client
     * starts from {@link Download#startFor} and sends {@link #upload}, keeping nothing.
     */
    default Optional<ClientMemory<D, P>> clientMemory() {
        return Optional.empty();
    }

    /** True when every client must train at the same rank. */
    default boolean requiresEqualRanks() {
        return false;
    }
}
