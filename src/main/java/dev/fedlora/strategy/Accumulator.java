package dev.fedlora.strategy;

import java.io.Serializable;

/**
 * An associative, commutative fold over client updates: created empty by
 * {@link Strategy#zero}, fed by {@link #add}, combined by {@link #merge}, and turned into the next
 * global model by {@link Strategy#finish}. Partial folds run on executors; the driver merges them.
 */
public interface Accumulator extends Serializable {
    void add(ClientUpdate update);

    /** Folds {@code other} (an accumulator of the same strategy and round) into this one. */
    void merge(Accumulator other);

    /** Number of updates folded in. */
    int count();
}
