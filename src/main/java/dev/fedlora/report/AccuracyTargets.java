package dev.fedlora.report;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Pure figures over one run's rows (sorted by round). Only evaluated rounds (test accuracy
 * present) count; communication is {@code cumulative_bytes_down + cumulative_bytes_up}, and
 * 1 MB = 10<sup>6</sup> bytes.
 */
public final class AccuracyTargets {
    public static final double BYTES_PER_MB = 1e6;

    private AccuracyTargets() {}

    /** The first evaluated round with test accuracy {@code >= target}, if any. */
    public static Optional<RoundMetrics> firstReaching(List<RoundMetrics> rows, double target) {
        return rows.stream().filter(r -> r.testAccuracy() != null && r.testAccuracy() >= target).findFirst();
    }

    /** The round number of {@link #firstReaching}; empty when the target is never reached. */
    public static OptionalInt roundsToTarget(List<RoundMetrics> rows, double target) {
        return firstReaching(rows, target).map(r -> OptionalInt.of(r.round())).orElse(OptionalInt.empty());
    }

    /** MB communicated (up + down) up to and including {@link #firstReaching}; empty when never reached. */
    public static OptionalDouble mbToTarget(List<RoundMetrics> rows, double target) {
        return firstReaching(rows, target).map(r -> OptionalDouble.of(cumulativeMb(r))).orElse(OptionalDouble.empty());
    }

    /** The highest test accuracy of any evaluated round; empty when none was evaluated. */
    public static OptionalDouble bestAccuracy(List<RoundMetrics> rows) {
        return rows.stream().filter(r -> r.testAccuracy() != null).mapToDouble(RoundMetrics::testAccuracy).max();
    }

    /** The test accuracy of the last evaluated round; empty when none was evaluated. */
    public static OptionalDouble finalAccuracy(List<RoundMetrics> rows) {
        for (int i = rows.size() - 1; i >= 0; i--) {
            if (rows.get(i).testAccuracy() != null) return OptionalDouble.of(rows.get(i).testAccuracy());
        }
        return OptionalDouble.empty();
    }

    /**
     * The mean test accuracy of the last {@code k} evaluated rounds (all of them when fewer): steadier
     * than the final accuracy when accuracy moves from round to round; empty when none was evaluated.
     */
    public static OptionalDouble meanOfLast(List<RoundMetrics> rows, int k) {
        List<RoundMetrics> scored = rows.stream().filter(r -> r.testAccuracy() != null).toList();
        return scored.subList(Math.max(0, scored.size() - k), scored.size()).stream()
                .mapToDouble(RoundMetrics::testAccuracy).average();
    }

    /** The number of training rounds: the highest round number (round 0 is the initial model). */
    public static int rounds(List<RoundMetrics> rows) {
        return rows.stream().mapToInt(RoundMetrics::round).max().orElse(0);
    }

    /** Cumulative MB communicated, up plus down, through this row's round. */
    public static double cumulativeMb(RoundMetrics row) {
        return (row.cumulativeBytesDown() + row.cumulativeBytesUp()) / BYTES_PER_MB;
    }

    /** Total MB uploaded by clients over the run (the last row's cumulative figure). */
    public static double totalMbUp(List<RoundMetrics> rows) {
        return rows.isEmpty() ? 0 : rows.get(rows.size() - 1).cumulativeBytesUp() / BYTES_PER_MB;
    }

    /** Total MB downloaded by clients over the run (the last row's cumulative figure). */
    public static double totalMbDown(List<RoundMetrics> rows) {
        return rows.isEmpty() ? 0 : rows.get(rows.size() - 1).cumulativeBytesDown() / BYTES_PER_MB;
    }
}
