package dev.fedlora.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-round client statistics: what each client adds, and merging partials in task order. */
class RoundStatsTest {
    /** Two folded clients: n = 10 at loss 2 (3 steps, 100 B down, 50 B up), n = 30 at loss 1 (5 steps, 200 / 80 B). */
    private static RoundStats first() {
        RoundStats s = new RoundStats();
        s.addClient(10, 2.0, 3, 100, 50);
        s.addClient(30, 1.0, 5, 200, 80);
        s.stragglers++;
        s.trainNanos += 1_500_000_000L;
        return s;
    }

    /**
     * One folded client (n = 60, loss 0.5, 4 steps, 300 / 120 B), one rejected (400 B down, 160 B up:
     * its upload arrived), one dropped (250 B down, nothing up).
     */
    private static RoundStats second() {
        RoundStats s = new RoundStats();
        s.addClient(60, 0.5, 4, 300, 120);
        s.reject(12, "non-finite values", 400, 160);
        s.drop(250);
        s.trainNanos += 250_000_000L;
        return s;
    }

    /** A rejected client (500 B down, 200 B up) and two stragglers. */
    private static RoundStats third() {
        RoundStats s = new RoundStats();
        s.reject(3, "update norm 1e+04 exceeds robustness.max-update-norm = 100.0", 500, 200);
        s.stragglers += 2;
        s.trainNanos += 1L;
        return s;
    }

    @Test
    void clientsAddUpAndTheLossIsWeightedByExamples() {
        RoundStats s = first();

        assertEquals(2, s.clients());
        assertEquals(40, s.examples);
        assertEquals((10 * 2.0 + 30 * 1.0) / 40, s.meanTrainLoss(), 0.0, "1.25, not the mean of means 1.5");
        assertEquals(8, s.localSteps());
        assertEquals(300, s.bytesDown());
        assertEquals(130, s.bytesUp());
        assertEquals(1, s.stragglers());
        assertEquals(1.5, s.trainSeconds(), 1e-12);
        assertEquals(0, s.rejected());
        assertEquals(0, s.dropped());
    }

    @Test
    void aRejectedClientCountsBothDirectionsAndADroppedOneItsDownloadOnly() {
        RoundStats s = second();

        assertEquals(1, s.clients(), "the rejected client is not folded");
        assertEquals(1, s.rejected());
        assertEquals(1, s.dropped());
        assertEquals(List.of("client 12: non-finite values"), s.rejections());
        assertEquals(300 + 400 + 250, s.bytesDown());
        assertEquals(120 + 160, s.bytesUp(), "the rejected upload arrived; the dropped client sent nothing");
        assertEquals(0.5, s.meanTrainLoss(), 0.0, "the rejected client's loss does not count");
        assertEquals(4, s.localSteps());
    }

    @Test
    void anEmptyRoundHasNoMeanLoss() {
        RoundStats s = new RoundStats();

        assertTrue(Double.isNaN(s.meanTrainLoss()));
        assertEquals(0, s.clients() + s.localSteps() + s.bytesDown() + s.bytesUp() + s.rejected() + s.dropped());
        assertEquals(0.0, s.trainSeconds());
    }

    @Test
    void mergeSumsEveryFieldAndKeepsTheRejectionsInTaskOrder() {
        RoundStats s = first();
        s.merge(second());
        s.merge(third());

        assertEquals(3, s.clients());
        assertEquals(100, s.examples);
        // (10 * 2 + 30 * 1 + 60 * 0.5) / 100; the mean of the partials' means would be 0.875
        assertEquals(0.8, s.meanTrainLoss(), 1e-15);
        assertEquals(12, s.localSteps());
        assertEquals(100 + 200 + 300 + 400 + 250 + 500, s.bytesDown());
        assertEquals(50 + 80 + 120 + 160 + 200, s.bytesUp());
        assertEquals(2, s.rejected());
        assertEquals(1, s.dropped());
        assertEquals(3, s.stragglers());
        assertEquals(1.750000001, s.trainSeconds(), 1e-12);
        assertEquals(List.of("client 12: non-finite values",
                "client 3: update norm 1e+04 exceeds robustness.max-update-norm = 100.0"), s.rejections());
    }

    @Test
    void mergeIsAssociativeAndTheEmptyStatsAreItsIdentity() {
        RoundStats left = first();
        left.merge(second());
        left.merge(third());
        RoundStats right = second();
        right.merge(third());
        RoundStats grouped = first();
        grouped.merge(right);
        RoundStats fromEmpty = new RoundStats();
        fromEmpty.merge(first());
        RoundStats withEmpty = first();
        withEmpty.merge(new RoundStats());

        assertEquals(fields(left), fields(grouped), "(a + b) + c = a + (b + c)");
        assertEquals(fields(first()), fields(fromEmpty), "0 + a = a");
        assertEquals(fields(first()), fields(withEmpty), "a + 0 = a");
    }

    private static List<Object> fields(RoundStats s) {
        return List.of(s.clients, s.examples, s.lossTimesExamples, s.localSteps, s.bytesDown, s.bytesUp, s.rejected,
                s.dropped, s.stragglers, s.trainNanos, List.copyOf(s.rejections));
    }
}
