package dev.fedlora.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CohortSamplerTest {

    private static void assertDistinctSortedInRange(int[] ids, int numClients, int perRound) {
        assertEquals(perRound, ids.length, "cohort size");
        for (int i = 0; i < ids.length; i++) {
            assertTrue(ids[i] >= 0 && ids[i] < numClients, "id " + ids[i] + " outside [0, " + numClients + ")");
            if (i > 0) assertTrue(ids[i - 1] < ids[i], "ids not strictly ascending at " + i + ": " + ids[i - 1] + ", " + ids[i]);
        }
    }

    @ParameterizedTest
    @CsvSource({"1, 1", "10, 1", "10, 3", "10, 10", "100, 10", "1000, 999", "1000000, 1000"})
    void samplesDistinctSortedIdsInRange(int numClients, int perRound) {
        for (int round = 0; round < 5; round++) {
            assertDistinctSortedInRange(CohortSampler.sample(42, round, numClients, perRound), numClients, perRound);
        }
    }

    @Test
    void sameSeedAndRoundGiveTheSameCohort() {
        assertArrayEquals(CohortSampler.sample(42, 3, 1000, 20), CohortSampler.sample(42, 3, 1000, 20));
    }

    @Test
    void cohortsDifferAcrossRoundsAndSeeds() {
        int[] round1 = CohortSampler.sample(42, 1, 1000, 20);

        assertFalse(Arrays.equals(round1, CohortSampler.sample(42, 2, 1000, 20)), "rounds 1 and 2");
        assertFalse(Arrays.equals(round1, CohortSampler.sample(43, 1, 1000, 20)), "seeds 42 and 43");
    }

    @Test
    void millionClientsAllSampled() {
        int n = 1_000_000;

        int[] ids = CohortSampler.sample(7, 0, n, n);

        assertEquals(n, ids.length);
        for (int i = 0; i < n; i++) assertEquals(i, ids[i]);
    }

    @Test
    void everyClientIsEquallyLikely() {
        // 3 of 10 over 20,000 rounds: each id expected 6,000 times, sd ~ sqrt(20000 * 0.3 * 0.7) = 65
        int[] hits = new int[10];
        for (int round = 0; round < 20_000; round++) {
            for (int id : CohortSampler.sample(5, round, 10, 3)) hits[id]++;
        }
        for (int id = 0; id < 10; id++) {
            assertEquals(6000, hits[id], 400, "times client " + id + " is sampled");
        }
    }

    @Test
    void cohortLargerThanThePopulationIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CohortSampler.sample(1, 0, 10, 11));
        assertEquals("cannot sample 11 of 10 clients", e.getMessage());
    }
}
