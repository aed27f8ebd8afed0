package dev.fedlora.metrics;

import dev.fedlora.client.RankPolicy;
import dev.fedlora.engine.RoundListener;
import dev.fedlora.strategy.GlobalModel;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** One line per round: accuracy, losses, bytes and an ETA from the mean round time so far. */
public final class ProgressLog implements RoundListener {
    private static final Logger LOG = LogManager.getLogger("fedlora.progress");

    private final int rounds;
    private double seconds;

    public ProgressLog(int rounds) {
        this.rounds = rounds;
    }

    @Override
    public void onRound(MetricsRow row, GlobalModel global, RankPolicy ranks) {
        seconds += row.roundSeconds();
        String acc = row.testAccuracy() == null ? "   -  " : String.format("%.4f", row.testAccuracy());
        String loss = row.testLoss() == null ? "  -   " : String.format("%.4f", row.testLoss());
        String train = row.meanTrainLoss() == null ? "  -   " : String.format("%.4f", row.meanTrainLoss());
        double eta = row.round() == 0 ? Double.NaN : seconds / row.round() * (rounds - row.round());
        LOG.info(String.format("[%s] round %d/%d  test acc %s  test loss %s  train loss %s  up %s  down %s  %.1fs  ETA %s",
                row.experiment(), row.round(), rounds, acc, loss, train, megabytes(row.bytesUp()),
                megabytes(row.bytesDown()), row.roundSeconds(), Double.isNaN(eta) ? "-" : String.format("%.0fs", eta)));
    }

    static String megabytes(long bytes) {
        return String.format("%.2f MB", bytes / 1e6);
    }
}
