package dev.fedlora.client;

import dev.fedlora.random.Seeds;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Samples m of N clients without replacement, seeded by (seed, round), in O(m) time and memory
 * (Floyd's algorithm), so the cohort never costs anything proportional to N.
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
}
