package dev.fedlora.model.transformer;

import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

/**
 * Central finite differences on float parameters: {@code (L(p + h) - L(p - h)) / 2h} for chosen
 * entries, compared with an analytic gradient relative to its largest magnitude.
 */
final class FiniteDifferences {
    private FiniteDifferences() {}

    /**
     * Checks {@code entries} entries of {@code param} (all when it has no more), chosen by a
     * seeded draw.
     * @return the largest difference relative to {@code max |analytic|}
     */
    static double check(float[] param, float[] analytic, int entries, float h, DoubleSupplier loss, double tolerance,
                        String what) {
        double scale = 0;
        for (float v : analytic) scale = Math.max(scale, Math.abs(v));
        if (scale == 0) throw new AssertionError(what + ": analytic gradient is zero, the check would be vacuous");
        SplittableRandom rng = new SplittableRandom(what.hashCode());
        double worst = 0;
        int n = Math.min(entries, param.length);
        for (int e = 0; e < n; e++) {
            int i = n == param.length ? e : rng.nextInt(param.length);
            worst = Math.max(worst, Math.abs(numeric(param, i, h, loss) - analytic[i]) / scale);
        }
        if (!(worst <= tolerance)) throw new AssertionError(what + ": relative error " + worst + " > " + tolerance);
        return worst;
    }

    static double numeric(float[] param, int i, float h, DoubleSupplier loss) {
        float keep = param[i];
        param[i] = keep + h;
        double up = loss.getAsDouble();
        param[i] = keep - h;
        double down = loss.getAsDouble();
        param[i] = keep;
        return (up - down) / ((double) (keep + h) - (double) (keep - h));
    }

    /** {@code sum_i w_i y_i} in double: a scalar loss whose gradient with respect to y is w. */
    static double dot(float[] w, float[] y) {
        double s = 0;
        for (int i = 0; i < w.length; i++) s += (double) w[i] * y[i];
        return s;
    }
}
