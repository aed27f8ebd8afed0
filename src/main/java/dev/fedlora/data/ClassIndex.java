package dev.fedlora.data;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * Example ids grouped by label, in one array: class k holds {@code ids[start[k] .. start[k+1])},
 * ascending, for classes {@code 0 .. classes-1}. Built by a counting sort, O(n) time and
 * n + classes + 1 ints.
 */
final class ClassIndex implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int[] ids;
    private final int[] start;

    private ClassIndex(int[] ids, int[] start) {
        this.ids = ids;
        this.start = start;
    }

    /** @throws IllegalArgumentException if a label is outside [0, classes) */
    static ClassIndex of(int[] labels, int classes) {
        int[] start = new int[classes + 1];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("labels[" + i + "] must be in [0, " + classes + "), found "
                        + labels[i]);
            }
            start[labels[i] + 1]++;
        }
        for (int k = 0; k < classes; k++) start[k + 1] += start[k];
        int[] ids = new int[labels.length];
        int[] cursor = start.clone();
        for (int i = 0; i < labels.length; i++) ids[cursor[labels[i]]++] = i;
        return new ClassIndex(ids, start);
    }

    /** The number of classes. */
    int classes() {
        return start.length - 1;
    }

    int count(int k) {
        return start[k + 1] - start[k];
    }

    /** The {@code i}-th example of class {@code k}. */
    int get(int k, int i) {
        return ids[start[k] + i];
    }

    int start(int k) {
        return start[k];
    }

    /** Bit k set when class k has at least one example. */
    int nonEmptyClasses() {
        int mask = 0;
        for (int k = 0; k < classes(); k++) {
            if (count(k) > 0) mask |= 1 << k;
        }
        return mask;
    }

    /** A copy of the ids with each class's segment shuffled (Fisher–Yates); same layout. */
    int[] shuffledWithinClasses(SplittableRandom rng) {
        int[] copy = ids.clone();
        for (int k = 0; k < classes(); k++) {
            for (int i = start[k + 1] - 1; i > start[k]; i--) {
                int j = start[k] + rng.nextInt(i - start[k] + 1);
                int swap = copy[i];
                copy[i] = copy[j];
                copy[j] = swap;
            }
        }
        return copy;
    }
}
