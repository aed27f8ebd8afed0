package dev.fedlora.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SweepProgressTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void etaIsTheTimePerRoundSoFarTimesTheRoundsLeftInTheWholeSweep() {
        AtomicLong clock = new AtomicLong(100 * SECOND);
        SweepProgress sweep = new SweepProgress(List.of(10, 10, 20), clock::get);

        sweep.startRun(0, "a", "starts");
        assertEquals("run 1/3, sweep ETA -", sweep.status());
        for (int r = 0; r < 5; r++) {
            clock.addAndGet(2 * SECOND);
            sweep.roundDone();
        }
        // 10 s for 5 rounds, 35 rounds left
        assertEquals("run 1/3, sweep ETA 1m10s", sweep.status());

        for (int r = 0; r < 5; r++) {
            clock.addAndGet(2 * SECOND);
            sweep.roundDone();
        }
        sweep.startRun(1, "b", "starts");
        assertEquals("run 2/3, sweep ETA 1m00s", sweep.status());
    }

    @Test
    void completeRunsCostNothingAndTheClockStartsAtTheFirstRunWithWork() {
        AtomicLong clock = new AtomicLong(0);
        SweepProgress sweep = new SweepProgress(List.of(0, 4), clock::get);

        sweep.startRun(0, "done", "already complete, skipped");
        clock.addAndGet(60 * SECOND);
        sweep.startRun(1, "b", "starts");
        clock.addAndGet(3 * SECOND);
        sweep.roundDone();

        assertEquals("run 2/2, sweep ETA 9s", sweep.status());
    }

    @Test
    void aSingleRunHasNoSweepStatus() {
        SweepProgress sweep = new SweepProgress(List.of(5), () -> 0L);
        sweep.startRun(0, "a", "starts");

        assertEquals("", sweep.status());
    }

    @Test
    void durationsReadAsSecondsMinutesOrHours() {
        assertEquals("42s", SweepProgress.duration(42.4));
        assertEquals("3m05s", SweepProgress.duration(185));
        assertEquals("1h02m", SweepProgress.duration(3725));
    }
}
