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

    /**
     * Poisson sampling at q = 0.01 of 10,000 clients: over 2,000 rounds the mean cohort is qN = 100
     * within 4 standard errors (sd of the mean sqrt(N q (1 - q) / rounds) = 0.22), the variance is the
     * binomial N q (1 - q) = 99 within 15%, and every cohort is distinct, ascending and in range.
     */
    @Test
    void poissonCohortsHaveTheBinomialMeanAndVariance() {
        int n = 10_000;
        double q = 0.01;
        int rounds = 2_000;
        double sum = 0;
        double squares = 0;
        for (int round = 1; round <= rounds; round++) {
            int[] cohort = CohortSampler.poisson(42, round, n, q);
            assertDistinctSortedInRange(cohort, n, cohort.length);
            sum += cohort.length;
            squares += (double) cohort.length * cohort.length;
        }
        double mean = sum / rounds;
        double variance = squares / rounds - mean * mean;
        assertEquals(n * q, mean, 4 * Math.sqrt(n * q * (1 - q) / rounds), "mean cohort size");
        assertEquals(n * q * (1 - q), variance, 0.15 * n * q * (1 - q), "variance of the cohort size");
    }

    /** Each client is in about q of the cohorts: client 0 and client N - 1 alike (no edge bias). */
    @Test
    void poissonSamplingFavoursNoClient() {
        int n = 50;
        int first = 0;
        int last = 0;
        for (int round = 1; round <= 4_000; round++) {
            int[] cohort = CohortSampler.poisson(3, round, n, 0.2);
            if (cohort.length > 0 && cohort[0] == 0) first++;
            if (cohort.length > 0 && cohort[cohort.length - 1] == n - 1) last++;
        }
        assertEquals(800, first, 4 * Math.sqrt(4_000 * 0.2 * 0.8));
        assertEquals(800, last, 4 * Math.sqrt(4_000 * 0.2 * 0.8));
    }

    @Test
    void poissonCohortsAreDeterministicPerSeedAndRound() {
        assertArrayEquals(CohortSampler.poisson(42, 3, 1000, 0.05), CohortSampler.poisson(42, 3, 1000, 0.05));
        assertFalse(Arrays.equals(CohortSampler.poisson(42, 3, 1000, 0.05), CohortSampler.poisson(42, 4, 1000, 0.05)));
        assertFalse(Arrays.equals(CohortSampler.poisson(42, 3, 1000, 0.05), CohortSampler.poisson(43, 3, 1000, 0.05)));
    }

    /** A million clients at q = 1e-5 cost about ten draws a round, not a million: 10,000 rounds stay fast. */
    @Test
    void poissonSamplingCostsTheCohortNotTheClients() {
        long start = System.nanoTime();
        long total = 0;
        for (int round = 1; round <= 10_000; round++) total += CohortSampler.poisson(7, round, 1_000_000, 1e-5).length;
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(100_000, total, 4 * Math.sqrt(100_000.0));
        assertTrue(seconds < 5, "10,000 Poisson rounds of 1,000,000 clients took " + seconds + " s");
    }

    @Test
    void poissonSamplingCanBeEmptyOrFull() {
        assertEquals(0, CohortSampler.poisson(1, 1, 100, 0).length);
        assertEquals(100, CohortSampler.poisson(1, 1, 100, 1).length);
        int empty = 0;
        for (int round = 1; round <= 200; round++) if (CohortSampler.poisson(1, round, 10, 0.05).length == 0) empty++;
        assertTrue(empty > 0, "a cohort of 10 clients at q = 0.05 is empty in about 60% of rounds");
        assertThrows(IllegalArgumentException.class, () -> CohortSampler.poisson(1, 1, 10, 1.5));
    }
}
