package dev.fedlora.engine;

import dev.fedlora.metrics.MetricsRow;
import dev.fedlora.strategy.GlobalModel;
import java.io.Serializable;
import java.util.List;

/** The state after {@code round}: the global model and every metrics row so far (round 0 first). */
public record Checkpoint(int round, GlobalModel global, List<MetricsRow> rows) implements Serializable {}
