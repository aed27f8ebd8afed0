package dev.fedlora.strategy;

import dev.fedlora.comm.Payload;
import java.io.Serializable;

/**
 * An associative, commutative fold over client updates of payload type {@code P}: created empty by
 * {@link Strategy#zero}, fed by {@link #add}, combined with another of its own type by
 * {@link #merge}, and turned into the next global model by {@link Strategy#finish}. Partial folds
 * run on executors; the driver merges them.
 *
 * @param <P> what the clients upload
 * @param <A> the accumulator's own type, so that {@link #merge} takes no other
 */
public interface Accumulator<P extends Payload, A extends Accumulator<P, A>> extends Serializable {
    void add(ClientUpdate<? extends P> update);

    /** Folds {@code other} (an accumulator of the same strategy and round) into this one. */
    void merge(A other);

    /** Number of updates folded in. */
    int count();
}
