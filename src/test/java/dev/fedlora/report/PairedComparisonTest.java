package dev.fedlora.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PairedComparisonTest {
    private static final List<Long> SEEDS = List.of(7L, 8L, 9L);

    @Test
    void differencesOneTwoThreeGiveMeanTwoSdOneAndTheTInterval() {
        // b - a = {1, 2, 3}: mean 2, sd 1, t(0.975, 2) = 4.3027, half-width 4.3027 / sqrt(3) = 2.4841
        PairedComparison c = PairedComparison.of(SEEDS, new double[] {10, 20, 30}, new double[] {11, 22, 33}, 0.95);

        assertArrayEquals(new double[] {1, 2, 3}, c.differences(), 1e-12);
        assertEquals(2.0, c.mean(), 1e-12);
        assertEquals(1.0, c.sd(), 1e-12);
        assertEquals(4.3027, c.tCritical(), 1e-4);
        assertEquals(2 - 4.302653 / Math.sqrt(3), c.low(), 1e-5);
        assertEquals(2 + 4.302653 / Math.sqrt(3), c.high(), 1e-5);
        assertEquals(3, c.n());
        assertEquals(3, c.bBetter());
        assertFalse(c.excludesZero(), "[-0.48, 4.48] contains 0");
    }

    @Test
    void aSteadyGapExcludesZero() {
        // differences {1, 1.2, 0.8, 1}: mean 1, sd 0.1633, t(0.975, 3) = 3.1824 -> [0.740, 1.260]
        PairedComparison c = PairedComparison.of(List.of(1L, 2L, 3L, 4L), new double[] {0, 0, 0, 0},
                new double[] {1, 1.2, 0.8, 1}, 0.95);

        assertEquals(3.1824, c.tCritical(), 1e-4);
        assertEquals(1 - 3.182446 * Math.sqrt(0.08 / 3) / 2, c.low(), 1e-5);
        assertTrue(c.excludesZero());
    }

    @Test
    void aNegativeGapCountsNoWins() {
        PairedComparison c = PairedComparison.of(List.of(1L, 2L), new double[] {2, 3}, new double[] {1, 1}, 0.95);

        assertEquals(-1.5, c.mean(), 1e-12);
        assertEquals(0, c.bBetter());
    }

    @Test
    void fewerThanTwoPairsOrMismatchedLengthsAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> PairedComparison.of(List.of(1L), new double[] {1}, new double[] {2}, 0.95));
        assertThrows(IllegalArgumentException.class,
                () -> PairedComparison.of(SEEDS, new double[] {1, 2, 3}, new double[] {1, 2}, 0.95));
        assertThrows(IllegalArgumentException.class,
                () -> PairedComparison.of(List.of(1L, 2L), new double[] {1, 2}, new double[] {1, 2}, 1.0));
    }
}
