package dev.fedlora.config;

import com.typesafe.config.Config;
import java.io.Serializable;

/**
 * Robustness and fault injection: the update-norm bound ({@code 0} = none) and the fractions of
 * sampled clients that send NaN, send a huge update, drop out, or straggle by a delay.
 */
public record FaultConfig(double maxUpdateNorm, double nanFraction, double hugeNormFraction, double dropoutFraction,
                          double stragglerFraction, int stragglerDelayMs) implements Serializable {
    static FaultConfig from(Config c) {
        FaultConfig f = new FaultConfig(
                Keys.doubleIn(c, "robustness.max-update-norm", 0, false, Double.MAX_VALUE, false),
                Keys.doubleIn(c, "faults.nan-fraction", 0, false, 1, false),
                Keys.doubleIn(c, "faults.huge-norm-fraction", 0, false, 1, false),
                Keys.doubleIn(c, "faults.dropout-fraction", 0, false, 1, false),
                Keys.doubleIn(c, "faults.straggler-fraction", 0, false, 1, false),
                Keys.intIn(c, "faults.straggler-delay-ms", 0, 3_600_000));
        double bad = f.nanFraction + f.hugeNormFraction + f.dropoutFraction;
        if (bad > 1 + 1e-12) {
            throw new ConfigError("faults.nan-fraction + faults.huge-norm-fraction + faults.dropout-fraction = "
                    + bad + " exceeds 1");
        }
        return f;
    }

    /** True when no fault is injected. */
    public boolean none() {
        return nanFraction == 0 && hugeNormFraction == 0 && dropoutFraction == 0 && stragglerFraction == 0;
    }
}
