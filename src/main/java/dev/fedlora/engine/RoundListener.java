package dev.fedlora.engine;

import dev.fedlora.metrics.MetricsRow;
import dev.fedlora.strategy.GlobalModel;

/** Work done after each round (logging, adapter dumps, checkpoints), kept out of the round loop. */
@FunctionalInterface
public interface RoundListener {
    void onRound(MetricsRow row, GlobalModel global) throws Exception;
}
