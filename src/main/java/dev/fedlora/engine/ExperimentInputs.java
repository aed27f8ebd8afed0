package dev.fedlora.engine;

import dev.fedlora.config.ConfigError;
import dev.fedlora.config.ExperimentConfig;
import dev.fedlora.data.registry.DataFormats;
import dev.fedlora.data.Examples;
import dev.fedlora.model.AdaptableModel;
import dev.fedlora.model.AdapterLayout;
import dev.fedlora.model.registry.ModelTypes;
import dev.fedlora.strategy.Strategy;
import dev.fedlora.strategy.registry.Strategies;
import org.apache.hadoop.conf.Configuration;

/**
 * Everything an experiment reads before any Spark work: the data (by {@code data.format}), the
 * frozen base with its adapter (by {@code model.type}) and the strategy, cross-checked against the
 * config so that a bad input fails before the cluster is used.
 */
public record ExperimentInputs(Examples train, Examples test, AdaptableModel model, Strategy<?, ?, ?, ?> strategy) {

    /** The adapter's targets and dense tensors. */
    public AdapterLayout layout() {
        return model.layout();
    }

    /**
     * @throws ConfigError for a path key whose file or folder is unusable ({@link InputPaths}), a
     *     model or LoRA key the base does not fit, a rank above the narrowest target or a strategy
     *     that needs equal ranks given unequal ones
     * @throws dev.fedlora.data.DataException for missing or corrupt data files
     * @throws dev.fedlora.model.BaseModelFile.ModelFileException for a missing or corrupt base model
     */
    public static ExperimentInputs load(ExperimentConfig cfg, Configuration conf) {
        InputPaths.check(cfg, conf);
        Strategy<?, ?, ?, ?> strategy = Strategies.create(cfg.strategy());
        if (strategy.requiresEqualRanks() && !cfg.clients().ranks().uniform()) {
            throw new ConfigError("strategy.name = " + cfg.strategy().name() + " needs every client at the same rank,"
                    + " but clients.ranks.policy = " + cfg.clients().ranks().policy() + " gives different ranks");
        }
        DataFormats.Split data = DataFormats.read(cfg.data().request(), conf);
        if (cfg.clients().partition().natural() && cfg.clients().count() != data.train().groups()) {
            throw new ConfigError("clients.partition.scheme = natural gives one client per group of the data, but "
                    + data.train().name() + " has " + data.train().groups() + " groups and clients.count = "
                    + cfg.clients().count());
        }
        if (!cfg.clients().partition().natural() && data.train().classes() == 0) {
            throw new ConfigError("clients.partition.scheme = dirichlet deals shards by label, but " + data.train().name()
                    + " has no labels (data.format = " + cfg.data().format() + "): use clients.partition.scheme = natural");
        }
        if (cfg.clients().count() > data.train().size() && cfg.clients().partition().examplesPerClient() == 0) {
            throw new ConfigError("clients.count = " + cfg.clients().count() + " exceeds the " + data.train().size()
                    + " training examples: set clients.partition.examples-per-client > 0 so that each client's"
                    + " shard is drawn from the data instead of split from it");
        }
        AdaptableModel model;
        try {
            model = ModelTypes.load(cfg.model().type(), cfg.model().base(), data.train().classes(), cfg.model().loraTargets(),
                    cfg.model().trainable(), cfg.model().loraInit(), cfg.model().fastMath(), conf);
            model.checkData(data.train());
            model.checkData(data.test());
        } catch (IllegalArgumentException e) {
            throw new ConfigError("model.base = " + cfg.model().base() + ", data.format = " + cfg.data().format() + ": "
                    + e.getMessage(), e);
        }
        if (model.type().equals("transformer")) checkTokenizer(cfg, conf);
        AdapterLayout layout = model.layout();
        int maxRank = cfg.clients().ranks().maxRank();
        if (maxRank > layout.maxRank()) {
            throw new ConfigError(cfg.clients().ranks().maxRankKey() + " gives rank " + maxRank
                    + ", above the narrowest LoRA target of " + layout + ": expected a rank in [1, " + layout.maxRank() + "]");
        }
        return new ExperimentInputs(data.train(), data.test(), model, strategy);
    }

    /**
     * The tokenizer of {@code data.tokenizer} must be the one the transformer was pretrained with:
     * the pretraining report next to the base ({@code <base>.json}, when there is one) records its
     * SHA-256.
     */
    private static void checkTokenizer(ExperimentConfig cfg, Configuration conf) {
        String base = cfg.model().base();
        String report = (base.contains(".") ? base.substring(0, base.lastIndexOf('.')) : base) + ".json";
        String tokenizer = cfg.data().files().get("tokenizer");
        if (tokenizer == null) return;
        try {
            if (!dev.fedlora.pretrain.PretrainReport.exists(report, conf)) return;
            String expected = dev.fedlora.pretrain.PretrainReport.read(report, conf).path("tokenizer").path("sha256").asText("");
            String actual = dev.fedlora.pretrain.PretrainReport.sha256(tokenizer, conf);
            if (!expected.isEmpty() && !expected.equals(actual)) {
                throw new ConfigError("data.tokenizer = " + tokenizer + " is not the tokenizer model.base = " + base
                        + " was pretrained with (" + report + " records SHA-256 " + expected + ", the file has " + actual
                        + "): rerun jobs/pretrain-transformer.sh or point data.tokenizer at its tokenizer");
            }
        } catch (java.io.IOException e) {
            throw new ConfigError("cannot read the pretraining report " + report + ": " + e.getMessage(), e);
        }
    }
}
