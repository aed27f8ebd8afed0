package dev.fedlora.config;

import com.typesafe.config.Config;
import dev.fedlora.data.registry.DataFormats;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fine-tuning data: its format ({@code data.format}), where its files live (any Hadoop path):
 * the IDX files of {@code idx}, the corpus folder and tokenizer of the text formats; the text
 * formats' sequence length and held-out share of documents; and how much of it to use (0 = all).
 */
public record DataConfig(String format, String trainImages, String trainLabels, String testImages, String testLabels,
                         String textDir, String tokenizer, int sequenceLength, double testShare,
                         int trainLimit, int testLimit) implements Serializable {
    /** The bounds of {@code data.sequence-length}. */
    public static final int MIN_SEQUENCE_LENGTH = 2;
    public static final int MAX_SEQUENCE_LENGTH = 1 << 16;

    static DataConfig from(Config c) {
        String format = Keys.string(c, "data.format");
        if (!DataFormats.NAMES.contains(format)) {
            throw new ConfigError("data.format = " + format + " is not one of: " + String.join(", ", DataFormats.NAMES));
        }
        return new DataConfig(format,
                Keys.string(c, "data.train-images"), Keys.string(c, "data.train-labels"),
                Keys.string(c, "data.test-images"), Keys.string(c, "data.test-labels"),
                Keys.string(c, "data.text-dir"), Keys.string(c, "data.tokenizer"),
                Keys.intIn(c, "data.sequence-length", MIN_SEQUENCE_LENGTH, MAX_SEQUENCE_LENGTH),
                Keys.doubleIn(c, "data.test-share", 0, true, 1, true),
                Keys.intIn(c, "data.train-limit", 0, Integer.MAX_VALUE),
                Keys.intIn(c, "data.test-limit", 0, Integer.MAX_VALUE));
    }

    /** The selected format's path keys (without {@code data.}) and their values, in {@link DataFormats#pathKeys} order. */
    public Map<String, String> files() {
        Map<String, String> all = Map.of("train-images", trainImages, "train-labels", trainLabels,
                "test-images", testImages, "test-labels", testLabels, "text-dir", textDir, "tokenizer", tokenizer);
        Map<String, String> f = new LinkedHashMap<>();
        for (DataFormats.PathKey k : DataFormats.pathKeys(format)) f.put(k.key(), all.get(k.key()));
        return f;
    }

    /** What {@link DataFormats#read} reads for this config. */
    public DataFormats.Request request() {
        return new DataFormats.Request(format, files(), sequenceLength, testShare, trainLimit, testLimit);
    }
}
