package dev.fedlora.comm;

import java.util.Arrays;

/**
 * Top-k selection by magnitude: the {@code k = ceil(density * n)} entries of largest absolute
 * value, ties broken towards the lower index so the mask is a deterministic function of the input.
 * A NaN counts as the largest magnitude, so a mask always has exactly {@code k} entries (a client
 * whose update went bad still sends, and pays for, {@code k} values).
 */
public final class TopK {
    private TopK() {}

    public static int count(double density, int n) {
        if (!(density > 0 && density <= 1)) {
            throw new IllegalArgumentException("density must be in (0, 1], found " + density);
        }
        return (int) Math.min(n, Math.max(1, Math.ceil(density * n - 1e-9)));
    }

    /** The mask of the top {@code k} entries of {@code |v|}. */
    public static boolean[] mask(float[] v, int k) {
        int n = v.length;
        boolean[] mask = new boolean[n];
        if (k >= n) {
            Arrays.fill(mask, true);
            return mask;
        }
        if (k <= 0) return mask;
        float[] mags = new float[n];
        for (int i = 0; i < n; i++) mags[i] = Float.isNaN(v[i]) ? Float.POSITIVE_INFINITY : Math.abs(v[i]);
        float[] sorted = mags.clone();
        Arrays.sort(sorted);
        float threshold = sorted[n - k];
        int above = 0;
        for (int i = 0; i < n; i++) {
            if (mags[i] > threshold) {
                mask[i] = true;
                above++;
            }
        }
        int ties = k - above;
        for (int i = 0; i < n && ties > 0; i++) {
            if (mags[i] == threshold) {
                mask[i] = true;
                ties--;
            }
        }
        return mask;
    }
}
