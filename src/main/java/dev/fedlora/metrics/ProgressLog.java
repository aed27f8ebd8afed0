package dev.fedlora.metrics;

import dev.fedlora.ranks.RankPolicy;
import dev.fedlora.strategy.GlobalModel;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One line per round: accuracy, losses, bytes and an ETA from the mean round time so far; in a
 * sweep, also which run of how many this is and the whole sweep's ETA.
 */
public final class ProgressLog implements RoundListener {
    private static final Logger LOG = LogManager.getLogger("fedlora.progress");

    private final int rounds;
    private final SweepProgress sweep;
    private double seconds;

    public ProgressLog(int rounds) {
        this(rounds, null);
    }

    /** @param sweep the sweep this run belongs to, or {@code null} */
    public ProgressLog(int rounds, SweepProgress sweep) {
        this.rounds = rounds;
        this.sweep = sweep;
    }

    @Override
    public void onRound(MetricsRow row, GlobalModel<?> global, RankPolicy ranks) {
        seconds += row.roundSeconds();
        if (sweep != null && row.round() > 0) sweep.roundDone();
        String acc = row.testAccuracy() == null ? "   -  " : String.format("%.4f", row.testAccuracy());
        String loss = row.testLoss() == null ? "  -   " : String.format("%.4f", row.testLoss());
        String train = row.meanTrainLoss() == null ? "  -   " : String.format("%.4f", row.meanTrainLoss());
        double eta = row.round() == 0 ? Double.NaN : seconds / row.round() * (rounds - row.round());
        String sweepStatus = sweep == null || sweep.status().isEmpty() ? "" : "  (" + sweep.status() + ")";
        LOG.info(String.format("[%s] round %d/%d  test acc %s  test loss %s  train loss %s  up %s  down %s  %.1fs  ETA %s%s",
                row.experiment(), row.round(), rounds, acc, loss, train, megabytes(row.bytesUp()),
                megabytes(row.bytesDown()), row.roundSeconds(), Double.isNaN(eta) ? "-" : String.format("%.0fs", eta),
                sweepStatus));
    }

    static String megabytes(long bytes) {
        return String.format("%.2f MB", bytes / 1e6);
    }
}
