package dev.fedlora.engine;

import dev.fedlora.config.ConfigError;
import dev.fedlora.config.ExperimentConfig;
import dev.fedlora.data.IdxReader;
import dev.fedlora.data.LabeledImages;
import dev.fedlora.model.BaseMlp;
import dev.fedlora.model.BaseModelFile;
import dev.fedlora.model.ModelShape;
import dev.fedlora.strategy.Strategies;
import dev.fedlora.strategy.Strategy;
import org.apache.hadoop.conf.Configuration;

/**
 * Everything an experiment reads before any Spark work: the data, the frozen base and the
 * strategy, cross-checked against the config so that a bad input fails before the cluster is used.
 */
public record ExperimentInputs(LabeledImages train, LabeledImages test, BaseMlp base, ModelShape shape,
                               Strategy<?, ?, ?, ?> strategy) {

    /**
     * @throws ConfigError for a path key whose file or folder is unusable ({@link InputPaths}), a rank above the layer width or a strategy that needs equal ranks given unequal ones
     * @throws dev.fedlora.data.DataException for missing or corrupt data files
     * @throws BaseModelFile.ModelFileException for a missing or corrupt base model
     */
    public static ExperimentInputs load(ExperimentConfig cfg, Configuration conf) {
        InputPaths.check(cfg, conf);
        Strategy<?, ?, ?, ?> strategy = Strategies.create(cfg.strategy());
        if (strategy.requiresEqualRanks() && !cfg.clients().ranks().uniform()) {
            throw new ConfigError("strategy.name = " + cfg.strategy().name() + " needs every client at the same rank,"
                    + " but clients.ranks.policy = " + cfg.clients().ranks().policy() + " gives different ranks");
        }
        BaseMlp base = BaseModelFile.read(cfg.model().base(), conf);
        LabeledImages train = limit(IdxReader.read("train", cfg.data().trainImages(), cfg.data().trainLabels(), conf),
                cfg.data().trainLimit());
        LabeledImages test = limit(IdxReader.read("test", cfg.data().testImages(), cfg.data().testLabels(), conf),
                cfg.data().testLimit());
        if (cfg.clients().count() > train.size() && cfg.clients().partition().examplesPerClient() == 0) {
            throw new ConfigError("clients.count = " + cfg.clients().count() + " exceeds the " + train.size()
                    + " training examples: set clients.partition.examples-per-client > 0 so that each client's"
                    + " shard is drawn from the data instead of split from it");
        }
        int[] sizes = base.sizes();
        if (sizes[0] != train.features()) {
            throw new ConfigError("model.base = " + cfg.model().base() + " takes " + sizes[0] + " inputs but "
                    + cfg.data().trainImages() + " has " + train.features() + " pixels per image");
        }
        ModelShape shape = base.fineTuneShape(LabeledImages.NUM_CLASSES);
        int maxRank = cfg.clients().ranks().maxRank();
        if (maxRank > shape.maxRank()) {
            throw new ConfigError(cfg.clients().ranks().maxRankKey() + " gives rank " + maxRank
                    + ", above the narrowest adapted layer of " + shape + ": expected a rank in [1, " + shape.maxRank() + "]");
        }
        return new ExperimentInputs(train, test, base, shape, strategy);
    }

    private static LabeledImages limit(LabeledImages data, int limit) {
        if (limit == 0 || limit >= data.size()) return data;
        int[] first = new int[limit];
        for (int i = 0; i < limit; i++) first[i] = i;
        return data.subset(data.name(), first);
    }
}
