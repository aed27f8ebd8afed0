package dev.fedlora.report;

import java.util.List;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.StatUtils;

/**
 * A paired comparison of two groups over the seeds they share: the per-seed differences
 * {@code d_i = b_i - a_i}, their mean {@code dbar} and sample sd {@code s}, and the Student-t
 * confidence interval {@code dbar ± t_{1-(1-level)/2, n-1} s / sqrt(n)}. A 95% interval that
 * excludes 0 says the gap is unlikely to be seed noise (with the usual caveat of few seeds).
 *
 * @param seeds the seeds paired, in order
 * @param differences {@code b - a} per seed
 * @param level the confidence level, e.g. 0.95
 * @param tCritical {@code t_{1-(1-level)/2, n-1}}
 * @param low the interval's lower end
 * @param high the interval's upper end
 * @param bBetter how many seeds have {@code b > a}
 */
public record PairedComparison(List<Long> seeds, double[] differences, double mean, double sd, double level,
                               double tCritical, double low, double high, int bBetter) {
    public static final double LEVEL = 0.95;

    /**
     * @param a the baseline's value per seed
     * @param b the other group's value per seed, in the same seed order
     * @throws IllegalArgumentException for fewer than two pairs, unequal lengths or a level outside (0, 1)
     */
    public static PairedComparison of(List<Long> seeds, double[] a, double[] b, double level) {
        if (a.length != b.length || a.length != seeds.size()) {
            throw new IllegalArgumentException("paired values need one a and one b per seed, found " + seeds.size()
                    + " seeds, " + a.length + " a, " + b.length + " b");
        }
        if (a.length < 2) {
            throw new IllegalArgumentException("a paired t interval needs at least 2 pairs, found " + a.length);
        }
        if (!(level > 0 && level < 1)) throw new IllegalArgumentException("level must be in (0, 1), found " + level);
        int n = a.length;
        double[] d = new double[n];
        int better = 0;
        for (int i = 0; i < n; i++) {
            d[i] = b[i] - a[i];
            if (d[i] > 0) better++;
        }
        double mean = StatUtils.mean(d);
        double sd = Math.sqrt(StatUtils.variance(d, mean));
        double t = new TDistribution(n - 1).inverseCumulativeProbability(1 - (1 - level) / 2);
        double half = t * sd / Math.sqrt(n);
        return new PairedComparison(List.copyOf(seeds), d, mean, sd, level, t, mean - half, mean + half, better);
    }

    public int n() {
        return differences.length;
    }

    /** Whether the interval lies wholly above or wholly below 0. */
    public boolean excludesZero() {
        return low > 0 || high < 0;
    }
}
