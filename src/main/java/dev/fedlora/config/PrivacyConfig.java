package dev.fedlora.config;

import com.typesafe.config.Config;
import dev.fedlora.privacy.RdpAccountant;
import java.io.Serializable;
import java.util.List;

/**
 * Client-level differential privacy ({@code privacy.*}): the mechanism ({@code none}, or
 * {@code gaussian} for DP-FedAvg), the clip norm {@code C}, the noise multiplier {@code sigma}
 * (given, or calibrated by the {@link RdpAccountant} so that epsilon after {@code experiment.rounds}
 * rounds is at most {@code targetEpsilon}), {@code delta}, and how cohorts are sampled: Poisson
 * (each client with probability {@code q = m / N}, expected weight {@code qN}) or a fixed {@code m}
 * of {@code N} (expected weight {@code m}). The accountant's guarantee is for Poisson sampling; with
 * fixed-size sampling it is the usual approximation at {@code q = m / N}.
 *
 * @param noiseMultiplier the noise multiplier used: {@code privacy.noise-multiplier}, or the
 *     calibrated one when {@code targetEpsilon > 0}
 * @param samplingRate {@code q = m / N}
 */
public record PrivacyConfig(String mechanism, double clipNorm, double noiseMultiplier, double targetEpsilon,
                            double delta, String sampling, double samplingRate, int numClients, int perRound,
                            int rounds)
        implements Serializable {
    public static final List<String> MECHANISMS = List.of("none", "gaussian");
    public static final List<String> SAMPLINGS = List.of("poisson", "fixed");

    /** True for DP-FedAvg. */
    public boolean enabled() {
        return mechanism.equals("gaussian");
    }

    /** True when cohorts are Poisson-sampled (only with privacy on). */
    public boolean poisson() {
        return enabled() && sampling.equals("poisson");
    }

    /** {@code W}: {@code qN} for Poisson sampling, {@code m} for fixed-size sampling. */
    public double expectedWeight() {
        return poisson() ? samplingRate * numClients : perRound;
    }

    /** Epsilon at {@link #delta} after {@code round} rounds; null without privacy. */
    public Double epsilonAfter(int round) {
        if (!enabled()) return null;
        return RdpAccountant.epsilon(samplingRate, noiseMultiplier, round, delta);
    }

    /** One line for the run log. */
    public String describe() {
        if (!enabled()) return "privacy off";
        return String.format("DP-FedAvg: clip norm %s, noise multiplier %.6g%s, delta %s, %s sampling (q = %.6g),"
                        + " epsilon after %d rounds %.4g", clipNorm, noiseMultiplier,
                targetEpsilon > 0 ? " (calibrated for epsilon " + targetEpsilon + ")" : "", delta, sampling,
                samplingRate, rounds, epsilonAfter(rounds));
    }

    /** @throws ConfigError naming the key of a bad value, or both noise keys set, or neither with gaussian */
    static PrivacyConfig from(Config c) {
        String mechanism = oneOf(c, "privacy.mechanism", MECHANISMS);
        double clipNorm = Keys.doubleIn(c, "privacy.clip-norm", 0, true, Double.MAX_VALUE, false);
        Double sigma = c.getIsNull("privacy.noise-multiplier") ? null
                : Keys.doubleIn(c, "privacy.noise-multiplier", 0, false, Double.MAX_VALUE, false);
        double target = Keys.doubleIn(c, "privacy.target-epsilon", 0, false, Double.MAX_VALUE, false);
        double delta = Keys.doubleIn(c, "privacy.delta", 0, true, 1, true);
        String sampling = oneOf(c, "privacy.sampling", SAMPLINGS);
        int count = Keys.intIn(c, "clients.count", 1, Integer.MAX_VALUE);
        int perRound = Keys.intIn(c, "clients.per-round", 1, Integer.MAX_VALUE);
        int rounds = Keys.intIn(c, "experiment.rounds", 0, 1_000_000);
        if (sigma != null && target > 0) {
            throw new ConfigError("privacy.noise-multiplier = " + sigma + " and privacy.target-epsilon = " + target
                    + " are both set: give one (the target calibrates the noise multiplier)");
        }
        if (!mechanism.equals("gaussian")) {
            return new PrivacyConfig(mechanism, clipNorm, sigma == null ? 0 : sigma, target, delta, sampling,
                    (double) perRound / count, count, perRound, rounds);
        }
        if (sigma == null && target == 0) {
            throw new ConfigError("privacy.mechanism = gaussian needs privacy.noise-multiplier or privacy.target-epsilon");
        }
        double q = (double) perRound / count;
        double noise = sigma != null ? sigma : calibrated(target, q, rounds, delta);
        return new PrivacyConfig(mechanism, clipNorm, noise, target, delta, sampling, q, count, perRound, rounds);
    }

    private static double calibrated(double target, double q, int rounds, double delta) {
        if (rounds == 0) return 0;
        try {
            return RdpAccountant.noiseMultiplierFor(target, q, rounds, delta);
        } catch (IllegalArgumentException e) {
            throw new ConfigError("privacy.target-epsilon = " + target + " cannot be met: " + e.getMessage(), e);
        }
    }

    private static String oneOf(Config c, String key, List<String> valid) {
        String v = Keys.string(c, key);
        if (!valid.contains(v)) throw new ConfigError(key + " = " + v + " is not one of: " + String.join(", ", valid));
        return v;
    }
}
