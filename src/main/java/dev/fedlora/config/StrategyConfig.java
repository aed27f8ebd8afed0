package dev.fedlora.config;

import com.typesafe.config.Config;
import java.io.Serializable;
import java.util.List;

/**
 * The aggregation strategy by name, with the options of the strategies that have them, and what
 * strategies take from the rest of the experiment: the seed (FLoRA draws its restarted {@code A}
 * from it), the number of rounds (FLASC's density schedules end there) and the LoRA scale
 * {@code alpha / r_max} (FLoRA merges {@code s B A} into the base); and the privacy mechanism the
 * strategy is wrapped in ({@code privacy.*}).
 */
public record StrategyConfig(String name, FlascOptions flasc, HetLoraOptions hetlora, FedProxOptions fedprox,
                             long seed, int rounds, float loraScale, PrivacyConfig privacy) implements Serializable {

    public static final List<String> SCHEDULES = List.of("constant", "linear", "cosine");
    public static final List<String> SERVER_OPTIMIZERS = List.of("sgd", "adam");
    public static final List<String> ERROR_FEEDBACK = List.of("none", "residual");

    /**
     * FLASC: download and upload densities in round 1 and (with a {@code schedule} other than
     * {@code constant}) in the last round, whether the round-1 download mask is kept, and the
     * server's optimizer with its step size and Adam's moment decays, and whether clients keep what
     * their top-k upload dropped ({@code residual}) or discard it ({@code none}).
     */
    public record FlascOptions(double downloadDensity, double uploadDensity, double serverLearningRate,
                               String schedule, double finalDownloadDensity, double finalUploadDensity,
                               boolean frozenMask, String serverOptimizer, double adamBeta1, double adamBeta2,
                               double adamEpsilon, String errorFeedback) implements Serializable {}

    /** HetLoRA: the rank self-pruning threshold (0 = off). */
    public record HetLoraOptions(double pruneThreshold) implements Serializable {}

    /** FedProx: the proximal weight {@code mu} of the clients' local objective. */
    public record FedProxOptions(double mu) implements Serializable {}

    /** @param maxRank the largest client rank, {@code r_max} of the LoRA scale */
    static StrategyConfig from(Config c, int maxRank) {
        return new StrategyConfig(Keys.string(c, "strategy.name"), flasc(c), hetlora(c),
                new FedProxOptions(Keys.doubleIn(c, "strategy.fedprox.mu", 0, false, Double.MAX_VALUE, false)),
                Keys.anyLong(c, "experiment.seed"),
                Keys.intIn(c, "experiment.rounds", 0, 1_000_000),
                (float) (Keys.doubleIn(c, "lora.alpha", 0, true, Double.MAX_VALUE, false)
                        / maxRank),
                PrivacyConfig.from(c));
    }

    private static FlascOptions flasc(Config c) {
        String at = "strategy.flasc.";
        double down = density(c, at + "download-density");
        String schedule = oneOf(c, at + "schedule", SCHEDULES);
        double finalDown = density(c, at + "final-download-density");
        boolean frozenMask = Keys.bool(c, at + "frozen-mask");
        if (frozenMask && !schedule.equals("constant") && finalDown != down) {
            throw new ConfigError(at + "frozen-mask = true keeps the round-1 download mask, so " + at
                    + "final-download-density = " + finalDown + " must equal " + at + "download-density = " + down
                    + " when " + at + "schedule = " + schedule);
        }
        return new FlascOptions(down,
                density(c, at + "upload-density"),
                Keys.doubleIn(c, at + "server-learning-rate", 0, true, Double.MAX_VALUE, false),
                schedule,
                finalDown,
                density(c, at + "final-upload-density"),
                frozenMask,
                oneOf(c, at + "server-optimizer", SERVER_OPTIMIZERS),
                Keys.doubleIn(c, at + "adam.beta1", 0, false, 1, true),
                Keys.doubleIn(c, at + "adam.beta2", 0, false, 1, true),
                Keys.doubleIn(c, at + "adam.epsilon", 0, true, Double.MAX_VALUE, false),
                oneOf(c, at + "error-feedback", ERROR_FEEDBACK));
    }

    private static HetLoraOptions hetlora(Config c) {
        return new HetLoraOptions(Keys.doubleIn(c, "strategy.hetlora.prune-threshold", 0, false, 1, true));
    }

    private static double density(Config c, String key) {
        return Keys.doubleIn(c, key, 0, true, 1, false);
    }

    private static String oneOf(Config c, String key, List<String> valid) {
        String v = Keys.string(c, key);
        if (!valid.contains(v)) {
            throw new ConfigError(key + " = " + v + " is not one of: " + String.join(", ", valid));
        }
        return v;
    }
}
