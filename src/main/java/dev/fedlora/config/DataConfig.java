package dev.fedlora.config;

import com.typesafe.config.Config;
import java.io.Serializable;

/** Where the fine-tuning data lives (any Hadoop path) and how much of it to use (0 = all). */
public record DataConfig(String trainImages, String trainLabels, String testImages, String testLabels,
                         int trainLimit, int testLimit) implements Serializable {
    static DataConfig from(Config c) {
        return new DataConfig(
                Keys.string(c, "data.train-images"), Keys.string(c, "data.train-labels"),
                Keys.string(c, "data.test-images"), Keys.string(c, "data.test-labels"),
                Keys.intIn(c, "data.train-limit", 0, Integer.MAX_VALUE),
                Keys.intIn(c, "data.test-limit", 0, Integer.MAX_VALUE));
    }
}
