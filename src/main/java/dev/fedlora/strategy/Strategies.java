package dev.fedlora.strategy;

import dev.fedlora.config.ConfigError;
import dev.fedlora.config.StrategyConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** The strategies selectable by {@code strategy.name}. A new strategy registers here and nowhere else. */
public final class Strategies {
    private static final Map<String, Function<StrategyConfig, Strategy>> REGISTRY = new LinkedHashMap<>();

    static {
        REGISTRY.put("zero_pad", c -> new ZeroPadding());
        REGISTRY.put("replication_pad", c -> new ReplicationPadding());
        REGISTRY.put("flasc", c -> new Flasc(c.downloadDensity(), c.uploadDensity(), c.serverLearningRate()));
    }

    private Strategies() {}

    /** @throws ConfigError if the name is not registered; the message lists the valid names */
    public static Strategy create(StrategyConfig config) {
        Function<StrategyConfig, Strategy> factory = REGISTRY.get(config.name());
        if (factory == null) {
            throw new ConfigError("strategy.name = " + config.name() + " is not a strategy; valid: "
                    + String.join(", ", REGISTRY.keySet()));
        }
        return factory.apply(config);
    }
}
