package dev.fedlora.config;

import com.typesafe.config.Config;
import dev.fedlora.data.DataFormats;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fine-tuning data: its format ({@code data.format}), where its files live (any Hadoop path) and
 * how much of it to use (0 = all).
 */
public record DataConfig(String format, String trainImages, String trainLabels, String testImages, String testLabels,
                         int trainLimit, int testLimit) implements Serializable {
    static DataConfig from(Config c) {
        String format = Keys.string(c, "data.format");
        if (!DataFormats.NAMES.contains(format)) {
            throw new ConfigError("data.format = " + format + " is not one of: " + String.join(", ", DataFormats.NAMES));
        }
        return new DataConfig(format,
                Keys.string(c, "data.train-images"), Keys.string(c, "data.train-labels"),
                Keys.string(c, "data.test-images"), Keys.string(c, "data.test-labels"),
                Keys.intIn(c, "data.train-limit", 0, Integer.MAX_VALUE),
                Keys.intIn(c, "data.test-limit", 0, Integer.MAX_VALUE));
    }

    /** The path keys (without {@code data.}) and their values, for the format's reader. */
    public Map<String, String> files() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("train-images", trainImages);
        f.put("train-labels", trainLabels);
        f.put("test-images", testImages);
        f.put("test-labels", testLabels);
        return f;
    }
}
