package dev.fedlora.engine;

import dev.fedlora.strategy.Download;
import java.io.Serializable;

/**
 * What every task of a round receives (in the task closure): the round number, the global adapter's rank (for the tasks'
 * empty folds) and the strategy's download, which says how clients train. Never the server state.
 */
public record RoundInput<D extends Download>(int round, int maxRank, D download) implements Serializable {}
