package dev.fedlora.engine;

import dev.fedlora.state.StateLocation;
import dev.fedlora.strategy.Accumulator;
import java.io.Serializable;
import java.util.Map;

/**
 * One Spark task's fold over its clients: the strategy's accumulator, the round statistics and,
 * for a strategy whose clients keep state, where the task wrote each client's next state.
 */
public record Partial<A extends Accumulator<?, A>>(A accumulator, RoundStats stats, Map<Integer, StateLocation> states)
        implements Serializable {
    void merge(Partial<A> other) {
        accumulator.merge(other.accumulator);
        stats.merge(other.stats);
        states.putAll(other.states);
    }
}
