package dev.fedlora.engine;

import dev.fedlora.strategy.Download;
import dev.fedlora.strategy.GlobalModel;
import java.io.Serializable;

/** What is broadcast once a round: the round number, the global model and the strategy's download. */
public record RoundInput(int round, GlobalModel global, Download download) implements Serializable {}
