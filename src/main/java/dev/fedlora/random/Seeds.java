package dev.fedlora.random;

import java.util.SplittableRandom;

/**
 * Seeds derived from (experiment seed, purpose, round, client) by SplitMix64 mixing, so every
 * random draw depends only on what it is for, never on which executor or thread makes it.
 */
public final class Seeds {
    /**
     * What a derived seed is used for; keeps streams of different purposes independent. Each purpose
     * has a permanent {@link #code} that enters the seed, so adding, removing or reordering purposes
     * never changes another purpose's seeds (and so no published result). A new purpose takes a code
     * no purpose has used; {@code SeedsTest} pins the codes and a few derived seeds.
     */
    public enum Purpose {
        INIT(1), PARTITION(2), RANKS(3), SAMPLE(4), CLIENT_TRAIN(5), SHARD_DRAW(6), FAULTS(7), PRETRAIN(8), CLIENT_EVAL(9),
        /** The Gaussian noise DP-FedAvg adds to a round's summed update. */
        DP_NOISE(10),
        /** Poisson sampling of a round's cohort (each client in with probability q). */
        POISSON_SAMPLE(11);

        private final int code;

        Purpose(int code) {
            this.code = code;
        }

        /** The permanent number this purpose mixes into its seeds. */
        public int code() {
            return code;
        }
    }

    private Seeds() {}

    /** SplitMix64 finaliser: a bijective 64-bit mix with good avalanche. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    public static long derive(long seed, Purpose purpose, long... path) {
        long h = mix(seed ^ 0x9e3779b97f4a7c15L * purpose.code());
        for (long p : path) {
            h = mix(h + 0x9e3779b97f4a7c15L + p);
        }
        return h;
    }

    public static SplittableRandom rng(long seed, Purpose purpose, long... path) {
        return new SplittableRandom(derive(seed, purpose, path));
    }

    /** A uniform double in [0, 1) determined by the derived seed alone. */
    public static double uniform(long seed, Purpose purpose, long... path) {
        return (derive(seed, purpose, path) >>> 11) * 0x1.0p-53;
    }
}
