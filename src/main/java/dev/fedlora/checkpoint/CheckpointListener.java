package dev.fedlora.checkpoint;

import dev.fedlora.metrics.MetricsRow;
import dev.fedlora.metrics.RoundListener;
import dev.fedlora.ranks.RankPolicy;
import dev.fedlora.strategy.GlobalModel;
import java.util.ArrayList;
import java.util.List;

/** Writes a checkpoint every {@code every} rounds and after the last one. */
public final class CheckpointListener implements RoundListener {
    private final CheckpointStore store;
    private final int every;
    private final int rounds;
    private final List<MetricsRow> rows;

    /** @param rowsSoFar the metrics rows of the rounds before this run started (from the checkpoint it resumes) */
    public CheckpointListener(CheckpointStore store, int every, int rounds, List<MetricsRow> rowsSoFar) {
        this.store = store;
        this.every = every;
        this.rounds = rounds;
        this.rows = new ArrayList<>(rowsSoFar);
    }

    @Override
    public void onRound(MetricsRow row, GlobalModel<?> global, RankPolicy ranks) throws Exception {
        rows.add(row);
        int r = row.round();
        if (r > 0 && (r % every == 0 || r == rounds)) store.write(new Checkpoint(r, global, ranks, List.copyOf(rows)));
    }
}
