package dev.fedlora.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroupCurveTest {
    private static RunFolderReader run(String name, List<RoundMetrics> rows) {
        return new RunFolderReader(Path.of(name), name, "zero_pad", null, null, rows);
    }

    @Test
    void meanAndSdPerRoundOverTheRunsThatHaveAValue() {
        RunFolderReader one = run("a", List.of(new RoundMetrics("a", "zero_pad", 0, 0.1, 0, 0),
                new RoundMetrics("a", "zero_pad", 1, 0.5, 100, 10), new RoundMetrics("a", "zero_pad", 2, 0.7, 200, 20)));
        RunFolderReader two = run("b", List.of(new RoundMetrics("b", "zero_pad", 0, 0.1, 0, 0),
                new RoundMetrics("b", "zero_pad", 1, null, 300, 30), new RoundMetrics("b", "zero_pad", 2, 0.9, 400, 40)));
        RunGroup group = new RunGroup("g", "k", List.of(one, two));

        GroupCurve c = GroupCurve.of(group, r -> r.cumulativeBytesDown(), RoundMetrics::testAccuracy);

        assertArrayEquals(new double[] {0, 100, 300}, c.x(), 1e-12, "round 1: only run a has an accuracy");
        assertArrayEquals(new double[] {0.1, 0.5, 0.8}, c.mean(), 1e-12);
        assertArrayEquals(new double[] {0, 0, Math.sqrt(0.02)}, c.sd(), 1e-12);
        assertArrayEquals(new int[] {2, 1, 2}, c.n());
        assertTrue(c.hasSpread());
    }

    @Test
    void aLoneRunHasNoSpread() {
        RunFolderReader one = run("a", List.of(new RoundMetrics("a", "zero_pad", 0, 0.1, 0, 0)));

        assertFalse(GroupCurve.of(new RunGroup("a", null, List.of(one)), r -> r.round(), RoundMetrics::testAccuracy)
                .hasSpread());
    }
}
