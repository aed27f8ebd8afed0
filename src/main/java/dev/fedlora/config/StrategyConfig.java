package dev.fedlora.config;

import com.typesafe.config.Config;
import java.io.Serializable;

/** The aggregation strategy by name, with the options of the strategies that have them. */
public record StrategyConfig(String name, double downloadDensity, double uploadDensity, double serverLearningRate)
        implements Serializable {
    static StrategyConfig from(Config c) {
        return new StrategyConfig(Keys.string(c, "strategy.name"),
                Keys.doubleIn(c, "strategy.flasc.download-density", 0, true, 1, false),
                Keys.doubleIn(c, "strategy.flasc.upload-density", 0, true, 1, false),
                Keys.doubleIn(c, "strategy.flasc.server-learning-rate", 0, true, Double.MAX_VALUE, false));
    }
}
