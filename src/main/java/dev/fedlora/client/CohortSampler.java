package dev.fedlora.client;

import dev.fedlora.random.Seeds;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Samples a round's cohort, seeded by (seed, round), in time and memory proportional to the cohort,
 * never to N: m of N clients without replacement (Floyd's algorithm), or by Poisson sampling (each
 * client independently with probability q, by geometric skips).
 */
public final class CohortSampler {
    private CohortSampler() {}

    /** The sampled client ids, ascending. */
    public static int[] sample(long seed, int round, int numClients, int perRound) {
        return sample(seed, Seeds.Purpose.SAMPLE, round, numClients, perRound);
    }

    /** The same draw for another purpose (e.g. the clients a round's client-side evaluation visits). */
    public static int[] sample(long seed, Seeds.Purpose purpose, int round, int numClients, int perRound) {
        if (perRound > numClients) {
            throw new IllegalArgumentException("cannot sample " + perRound + " of " + numClients + " clients");
        }
        SplittableRandom rng = Seeds.rng(seed, purpose, round);
        Set<Integer> chosen = new HashSet<>(perRound * 2);
        int[] out = new int[perRound];
        int k = 0;
        for (int j = numClients - perRound; j < numClients; j++) {
            int t = rng.nextInt(j + 1);
            int pick = chosen.add(t) ? t : j;
            if (pick == j) chosen.add(j);
            out[k++] = pick;
        }
        Arrays.sort(out);
        return out;
    }

    /**
     * Poisson sampling: every one of {@code numClients} clients is in the cohort independently with
     * probability {@code q}, so the cohort's size is Binomial(N, q) and may be 0. The gaps between
     * sampled ids are drawn as geometric variables, {@code floor(log(U) / log(1 - q))}, so a round
     * costs O(qN) draws, not N (Devroye, "Non-Uniform Random Variate Generation", 1986, X.2).
     *
     * @return the sampled ids, ascending
     * @throws IllegalArgumentException unless {@code 0 <= q <= 1}
     */
    public static int[] poisson(long seed, int round, int numClients, double q) {
        if (!(q >= 0 && q <= 1)) throw new IllegalArgumentException("sampling probability must be in [0, 1], found " + q);
        if (q == 0) return new int[0];
        if (q == 1) {
            int[] all = new int[numClients];
            for (int i = 0; i < numClients; i++) all[i] = i;
            return all;
        }
        SplittableRandom rng = Seeds.rng(seed, Seeds.Purpose.POISSON_SAMPLE, round);
        double logMiss = Math.log1p(-q);
        int[] out = new int[Math.max(16, (int) Math.min(numClients, 2 * q * numClients + 16))];
        int n = 0;
        long next = -1;
        while (true) {
            double u = 1.0 - rng.nextDouble();
            double skipped = Math.floor(Math.log(u) / logMiss);
            if (next + 1 + skipped >= numClients) break;
            next += 1 + (long) skipped;
            if (n == out.length) out = Arrays.copyOf(out, Math.min(numClients, 2 * out.length));
            out[n++] = (int) next;
        }
        return Arrays.copyOf(out, n);
    }
}
