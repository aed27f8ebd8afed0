package dev.fedlora.checkpoint;

import dev.fedlora.metrics.MetricsRow;
import dev.fedlora.ranks.RankPolicy;
import dev.fedlora.strategy.GlobalModel;
import java.io.Serializable;
import java.util.List;

/**
 * The state after {@code round}: the global model, the rank policy for the next rounds, and every
 * metrics row so far (round 0 first).
 */
public record Checkpoint(int round, GlobalModel<?> global, RankPolicy ranks, List<MetricsRow> rows)
        implements Serializable {}
