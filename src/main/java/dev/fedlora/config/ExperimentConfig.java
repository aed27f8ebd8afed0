package dev.fedlora.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One experiment, fully resolved and validated: every section of the config file plus the
 * rendered config and its hash, which identify the run's outputs, and its
 * {@linkplain ReplicateKey replicate key}, shared by the runs that differ from it only by seed.
 */
public record ExperimentConfig(String name, long seed, int rounds, DataConfig data, ModelConfig model,
                               ClientsConfig clients, TrainConfig train, StrategyConfig strategy,
                               RunOptions run, FaultConfig faults, String rendered, String hash,
                               String replicateKey)
        implements Serializable {

    /** @throws ConfigError naming the first key that is missing, mistyped or out of range */
    public static ExperimentConfig from(Config resolved) {
        return from(resolved, StandardRankPolicies.PARSER);
    }

    /**
     * With the rank policies of {@code rankPolicies} selectable by {@code clients.ranks.policy}.
     *
     * @throws ConfigError naming the first key that is missing, mistyped or out of range
     */
    public static ExperimentConfig from(Config resolved, RankConfigParser rankPolicies) {
        String name = Keys.string(resolved, "experiment.name");
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new ConfigError("experiment.name = " + name + " must use only letters, digits, '.', '_' and '-'"
                    + " (it names the output folder)");
        }
        String rendered = resolved.root().render(ConfigRenderOptions.defaults().setOriginComments(false));
        long seed = Keys.anyLong(resolved, "experiment.seed");
        int rounds = Keys.intIn(resolved, "experiment.rounds", 0, 1_000_000);
        DataConfig data = DataConfig.from(resolved);
        ModelConfig model = ModelConfig.from(resolved);
        ClientsConfig clients = ClientsConfig.from(resolved, rankPolicies);
        return new ExperimentConfig(name, seed, rounds, data, model, clients,
                train(resolved),
                StrategyConfig.from(resolved, clients.ranks().maxRank()),
                RunOptions.from(resolved),
                FaultConfig.from(resolved),
                rendered,
                hash(resolved),
                ReplicateKey.of(resolved));
    }

    /**
     * Keys that say how a run is guarded, not what it computes, and so stay out of the hash: the
     * run-folder lock's timings ({@code output.lock}). Leaving them out also kept the hash of every
     * existing run folder unchanged when the section was added.
     */
    static final String NOT_HASHED = "output.lock";

    /**
     * Option sections of strategies added after run folders were published, hashed only when that
     * strategy is selected, so that adding a strategy leaves every other config's hash as it was.
     */
    static final java.util.Map<String, String> HASHED_WHEN_SELECTED = java.util.Map.of("fedprox", "strategy.fedprox");

    /**
     * Keys added after run folders were published, hashed only when set to something other than
     * their default, so that configs which do not use them keep their hash.
     */
    static final java.util.List<String> HASHED_WHEN_CHANGED =
            java.util.List.of("data.format", "model.type", "model.trainable", "lora.targets", "lora.init",
                    "clients.partition.scheme", "data.text-dir", "data.tokenizer", "data.sequence-length",
                    "data.test-share", "eval.clients", "eval.client-holdout",
                    "strategy.flasc.error-feedback", "privacy.mechanism", "privacy.clip-norm",
                    "privacy.noise-multiplier", "privacy.target-epsilon", "privacy.delta", "privacy.sampling",
                    "model.fast-math");

    /** Keys renamed after run folders were published: the new name hashes under the old one. */
    static final java.util.Map<String, String> HASHED_UNDER_OLD_NAME = java.util.Map.of("lora.alpha", "model.lora-alpha");

    static String hash(Config resolved) {
        return sha256(hashed(resolved).root().render(ConfigRenderOptions.concise()));
    }

    /** The part of a resolved config that decides what a run computes: without {@link #NOT_HASHED} and unselected late sections. */
    static Config hashed(Config resolved) {
        Config c = resolved.withoutPath(NOT_HASHED);
        Config defaults = ConfigLoader.defaults();
        for (String key : HASHED_WHEN_CHANGED) {
            if (c.hasPathOrNull(key) && sameValue(c, defaults, key)) c = c.withoutPath(key);
        }
        for (java.util.Map.Entry<String, String> e : HASHED_UNDER_OLD_NAME.entrySet()) {
            if (c.hasPath(e.getKey())) c = c.withValue(e.getValue(), c.getValue(e.getKey())).withoutPath(e.getKey());
        }
        for (String section : new String[] {"lora", "privacy"}) {
            if (c.hasPath(section) && c.getConfig(section).isEmpty()) c = c.withoutPath(section);
        }
        String selected = resolved.hasPath("strategy.name") ? resolved.getString("strategy.name") : "";
        for (java.util.Map.Entry<String, String> e : HASHED_WHEN_SELECTED.entrySet()) {
            if (!e.getKey().equals(selected)) c = c.withoutPath(e.getValue());
        }
        return c;
    }

    /** The same value in both configs, a null (an unset key) equal only to a null. */
    private static boolean sameValue(Config c, Config defaults, String key) {
        boolean unset = c.getIsNull(key);
        if (unset || defaults.getIsNull(key)) return unset && defaults.getIsNull(key);
        return c.getValue(key).unwrapped().equals(defaults.getValue(key).unwrapped());
    }

    /** The privacy mechanism the strategy runs under. */
    public PrivacyConfig privacy() {
        return strategy.privacy();
    }

    private static TrainConfig train(Config c) {
        return new TrainConfig(
                Keys.intIn(c, "train.epochs", 1, 10_000),
                Keys.intIn(c, "train.batch-size", 1, 1 << 20),
                Keys.doubleIn(c, "train.learning-rate", 0, true, Double.MAX_VALUE, false),
                Keys.doubleIn(c, "train.momentum", 0, false, 1, true));
    }

    /** The LoRA scale {@code alpha / r_max} shared by every client. */
    public float loraScale() {
        return strategy.loraScale();
    }

    static String sha256(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
