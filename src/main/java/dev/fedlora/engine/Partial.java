package dev.fedlora.engine;

import dev.fedlora.strategy.Accumulator;
import java.io.Serializable;

/** One Spark task's fold over its clients: the strategy's accumulator and the round statistics. */
public record Partial<A extends Accumulator<?, A>>(A accumulator, RoundStats stats) implements Serializable {
    void merge(Partial<A> other) {
        accumulator.merge(other.accumulator);
        stats.merge(other.stats);
    }
}
