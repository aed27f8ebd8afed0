package dev.fedlora.metrics;

import java.util.List;
import java.util.function.LongSupplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Where a sweep is: which run of how many is going, and an ETA for the whole sweep from the wall
 * time per training round so far (rounds of runs already complete, or resumed from a checkpoint,
 * cost nothing). Fed by {@link #startRun} before each run and {@link #roundDone} after each round.
 */
public final class SweepProgress {
    private static final Logger LOG = LogManager.getLogger("fedlora.progress");

    private final List<Integer> roundsToRun;
    private final LongSupplier nanoTime;
    private final int totalRounds;
    private int run = -1;
    private int roundsDone;
    private long startNanos;
    private boolean started;

    /**
     * @param roundsToRun for each run of the sweep, in order, the training rounds it still has to
     *     run (0 for a run that is already complete)
     * @param nanoTime the clock, {@code System::nanoTime} outside tests
     */
    public SweepProgress(List<Integer> roundsToRun, LongSupplier nanoTime) {
        this.roundsToRun = List.copyOf(roundsToRun);
        this.nanoTime = nanoTime;
        this.totalRounds = roundsToRun.stream().mapToInt(Integer::intValue).sum();
    }

    public int runs() {
        return roundsToRun.size();
    }

    /** Logs and records that run {@code index} (0-based) of the sweep starts (or is skipped). */
    public void startRun(int index, String name, String what) {
        run = index;
        if (!started && roundsToRun.get(index) > 0) {
            started = true;
            startNanos = nanoTime.getAsLong();
        }
        if (runs() > 1) LOG.info("[sweep] run {}/{}: {} {}{}", index + 1, runs(), name, what, etaSuffix());
    }

    /** Records a finished training round of the current run (round 0, the initial evaluation, is not one). */
    public void roundDone() {
        roundsDone++;
    }

    /** {@code "run 2/6, sweep ETA 3m05s"}, or empty for a single run. */
    public String status() {
        if (runs() <= 1 || run < 0) return "";
        return "run " + (run + 1) + "/" + runs() + ", sweep ETA " + eta();
    }

    /** The estimated time left for the whole sweep, e.g. {@code 3m05s}; {@code -} before the first round. */
    public String eta() {
        if (roundsDone == 0) return "-";
        double perRound = (nanoTime.getAsLong() - startNanos) / 1e9 / roundsDone;
        return duration(perRound * Math.max(0, totalRounds - roundsDone));
    }

    private String etaSuffix() {
        return roundsDone == 0 ? "" : " (sweep ETA " + eta() + ")";
    }

    /** Whole seconds as {@code 42s}, {@code 3m05s} or {@code 1h02m}. */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) return s + "s";
        if (s < 3600) return String.format("%dm%02ds", s / 60, s % 60);
        return String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
