package dev.fedlora.data;

import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * The readers {@code data.format} may name. Each reads a training and a test set from the files its
 * {@code data.*} keys give; the number of classes comes from the training set, and the test set must
 * fit in it. Adding a format is one reader plus one line here.
 */
public final class DataFormats {
    /** The names {@code data.format} accepts. */
    public static final List<String> NAMES = List.of("idx");

    /** A training and a test set. */
    public record Split(Examples train, Examples test) {}

    private DataFormats() {}

    /**
     * @param files the {@code data.*} path keys (without the {@code data.} prefix) and their values
     * @param trainLimit keep only the first this many training examples (0 = all); likewise testLimit
     * @throws DataException for a missing or corrupt file, or test labels outside the training set's classes
     * @throws IllegalArgumentException for an unknown format
     */
    public static Split read(String format, Map<String, String> files, int trainLimit, int testLimit, Configuration conf) {
        return switch (format) {
            case "idx" -> idx(files, trainLimit, testLimit, conf);
            default -> throw new IllegalArgumentException("data.format = " + format + " is not one of: " + String.join(", ", NAMES));
        };
    }

    private static Split idx(Map<String, String> files, int trainLimit, int testLimit, Configuration conf) {
        LabeledImages train = IdxReader.read("train", files.get("train-images"), files.get("train-labels"), conf);
        LabeledImages test = IdxReader.read("test", files.get("test-images"), files.get("test-labels"), conf);
        if (test.classes() > train.classes()) {
            throw new DataException(files.get("test-labels") + ": label " + (test.classes() - 1) + " is outside the "
                    + train.classes() + " classes of the training labels " + files.get("train-labels"));
        }
        return new Split(limit(train, trainLimit), limit(test.withClasses(train.classes()), testLimit));
    }

    private static LabeledImages limit(LabeledImages data, int limit) {
        if (limit == 0 || limit >= data.size()) return data;
        int[] first = new int[limit];
        for (int i = 0; i < limit; i++) first[i] = i;
        return data.subset(data.name(), first);
    }
}
