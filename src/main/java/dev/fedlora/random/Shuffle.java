package dev.fedlora.random;

import java.util.SplittableRandom;

/** Fisher–Yates shuffles driven by a derived {@link SplittableRandom}. */
public final class Shuffle {
    private Shuffle() {}

    /** Shuffles {@code a} in place. */
    public static void inPlace(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
