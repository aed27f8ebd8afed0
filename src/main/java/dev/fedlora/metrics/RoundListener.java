package dev.fedlora.metrics;

import dev.fedlora.ranks.RankPolicy;
import dev.fedlora.strategy.GlobalModel;

/** Work done after each round (logging, adapter dumps, checkpoints), kept out of the round loop. */
@FunctionalInterface
public interface RoundListener {
    /** After a round: its metrics, the new global model and the rank policy for the next rounds. */
    void onRound(MetricsRow row, GlobalModel<?> global, RankPolicy ranks) throws Exception;
}
