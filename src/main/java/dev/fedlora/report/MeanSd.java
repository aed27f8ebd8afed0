package dev.fedlora.report;

import java.util.Locale;
import org.apache.commons.math3.stat.StatUtils;

/**
 * The mean and sample standard deviation {@code sd = sqrt(sum (x_i - mean)^2 / (n - 1))} of one
 * figure over the runs of a group (one value per seed); {@code sd} is NaN for a single value.
 */
public record MeanSd(int n, double mean, double sd) {
    /** @throws IllegalArgumentException if there is no value */
    public static MeanSd of(double... values) {
        if (values.length == 0) throw new IllegalArgumentException("mean and sd need at least one value");
        double sd = values.length > 1 ? Math.sqrt(StatUtils.variance(values)) : Double.NaN;
        return new MeanSd(values.length, StatUtils.mean(values), sd);
    }

    /** {@code "0.7110 ± 0.0160"} with the given format for both numbers; just the value when n = 1. */
    public String format(String numberFormat) {
        String m = String.format(Locale.ROOT, numberFormat, mean);
        return n > 1 ? m + " ± " + String.format(Locale.ROOT, numberFormat, sd) : m;
    }
}
