package dev.fedlora.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class AccuracyTargetsTest {
    private static RoundMetrics row(int round, Double accuracy, long bytesDown, long bytesUp) {
        return new RoundMetrics("exp", "zero_pad", round, accuracy, bytesDown, bytesUp);
    }

    /** Evaluated in rounds 0, 2, 4, 5, 6; 100 kB down and 10 kB up per round. */
    private static final List<RoundMetrics> ROWS = List.of(
            row(0, 0.10, 0, 0),
            row(1, null, 100_000, 10_000),
            row(2, 0.60, 200_000, 20_000),
            row(3, null, 300_000, 30_000),
            row(4, 0.76, 400_000, 40_000),
            row(5, 0.74, 500_000, 50_000),
            row(6, 0.80, 600_000, 60_000));

    @Test
    void roundsToTargetIsTheFirstEvaluatedRoundAtOrAboveIt() {
        assertEquals(4, AccuracyTargets.roundsToTarget(ROWS, 0.75).getAsInt());
        assertEquals(2, AccuracyTargets.roundsToTarget(ROWS, 0.60).getAsInt(), "equal to the target counts");
        assertEquals(0, AccuracyTargets.roundsToTarget(ROWS, 0.05).getAsInt(), "the initial model can reach it");
    }

    @Test
    void mbToTargetIsCumulativeUpPlusDownThroughThatRound() {
        assertEquals(0.44, AccuracyTargets.mbToTarget(ROWS, 0.75).getAsDouble(), 1e-12);
        assertEquals(0.22, AccuracyTargets.mbToTarget(ROWS, 0.60).getAsDouble(), 1e-12);
        assertEquals(0.0, AccuracyTargets.mbToTarget(ROWS, 0.05).getAsDouble(), 0.0);
    }

    @Test
    void targetNeverReachedGivesEmpty() {
        assertTrue(AccuracyTargets.roundsToTarget(ROWS, 0.81).isEmpty());
        assertTrue(AccuracyTargets.mbToTarget(ROWS, 0.81).isEmpty());
    }

    @Test
    void unevaluatedRoundsNeverReachTheTarget() {
        List<RoundMetrics> rows = List.of(row(0, 0.1, 0, 0), row(1, null, 10, 1), row(2, 0.9, 20, 2));
        assertEquals(2, AccuracyTargets.roundsToTarget(rows, 0.5).getAsInt());
        assertEquals(22e-6, AccuracyTargets.mbToTarget(rows, 0.5).getAsDouble(), 1e-18);
    }

    @Test
    void bestAndFinalAccuracySkipUnevaluatedRounds() {
        assertEquals(0.80, AccuracyTargets.bestAccuracy(ROWS).getAsDouble(), 0.0);
        assertEquals(0.80, AccuracyTargets.finalAccuracy(ROWS).getAsDouble(), 0.0);

        List<RoundMetrics> dipThenUnevaluated = List.of(row(0, 0.1, 0, 0), row(1, 0.7, 10, 1), row(2, 0.6, 20, 2),
                row(3, null, 30, 3));
        assertEquals(0.7, AccuracyTargets.bestAccuracy(dipThenUnevaluated).getAsDouble(), 0.0);
        assertEquals(0.6, AccuracyTargets.finalAccuracy(dipThenUnevaluated).getAsDouble(), 0.0);
    }

    @Test
    void noEvaluatedRoundGivesEmptyAccuracies() {
        List<RoundMetrics> rows = List.of(row(1, null, 10, 1));
        assertEquals(OptionalDouble.empty(), AccuracyTargets.bestAccuracy(rows));
        assertEquals(OptionalDouble.empty(), AccuracyTargets.finalAccuracy(rows));
    }

    @Test
    void totalsAndRoundsComeFromTheLastRow() {
        assertEquals(6, AccuracyTargets.rounds(ROWS));
        assertEquals(0.06, AccuracyTargets.totalMbUp(ROWS), 1e-12);
        assertEquals(0.6, AccuracyTargets.totalMbDown(ROWS), 1e-12);
    }
}
