package dev.fedlora.data.registry;

import dev.fedlora.data.DataException;
import dev.fedlora.data.Examples;
import dev.fedlora.data.IdxReader;
import dev.fedlora.data.LabeledImages;
import dev.fedlora.data.text.BrownGenreFormat;
import dev.fedlora.data.text.SotuLmFormat;
import dev.fedlora.data.text.TokenSplit;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * The readers {@code data.format} may name. Each reads a training and a test set from the files its
 * {@code data.*} path keys give ({@link #pathKeys}); adding a format is one reader plus a line in
 * {@link #NAMES}, {@link #pathKeys} and {@link #read}.
 * <ul>
 *   <li>{@code idx}: images and labels in IDX files; the number of classes comes from the training
 *       set, and the test set must fit in it.
 *   <li>{@code brown-genre}: genre classification of Brown corpus passages ({@link BrownGenreFormat}).
 *   <li>{@code sotu-lm}: next-token prediction on State of the Union addresses, one natural group
 *       per president ({@link SotuLmFormat}).
 * </ul>
 */
public final class DataFormats {
    /** The names {@code data.format} accepts. */
    public static final List<String> NAMES = List.of("idx", BrownGenreFormat.NAME, SotuLmFormat.NAME);

    /** A training and a test set. */
    public record Split(Examples train, Examples test) {}

    /**
     * A path key a format reads.
     *
     * @param key the key without the {@code data.} prefix
     * @param folder whether it names a folder (else a file)
     * @param whenMissing how to make it when it does not exist (for messages), or null
     */
    public record PathKey(String key, boolean folder, String whenMissing) {}

    /**
     * What to read.
     *
     * @param paths the format's path keys (without the {@code data.} prefix) and their values; other
     *     keys are ignored
     * @param sequenceLength tokens per sequence (text formats)
     * @param testShare the share of documents held out for the test set, in (0, 1) (text formats)
     * @param trainLimit keep only the first this many training examples (0 = all); likewise testLimit
     */
    public record Request(String format, Map<String, String> paths, int sequenceLength, double testShare, int trainLimit,
                          int testLimit) {
        public Request {
            paths = Map.copyOf(paths);
        }
    }

    private static final String FETCH = "run jobs/fetch-data.sh";

    private DataFormats() {}

    /**
     * The path keys format {@code format} reads, in the order they are checked.
     *
     * @throws IllegalArgumentException for an unknown format
     */
    public static List<PathKey> pathKeys(String format) {
        return switch (format) {
            case "idx" -> List.of(new PathKey("train-images", false, null), new PathKey("train-labels", false, null),
                    new PathKey("test-images", false, null), new PathKey("test-labels", false, null));
            case BrownGenreFormat.NAME, SotuLmFormat.NAME -> List.of(new PathKey("text-dir", true, FETCH),
                    new PathKey("tokenizer", false, TokenSplit.TOKENIZER_HINT));
            default -> throw unknown(format);
        };
    }

    /**
     * @throws DataException for a missing or corrupt file, or test labels outside the training set's classes
     * @throws IllegalArgumentException for an unknown format, a missing path key, or a sequence
     *     length or test share out of range
     */
    public static Split read(Request request, Configuration conf) {
        for (PathKey k : pathKeys(request.format())) {
            if (!request.paths().containsKey(k.key())) {
                throw new IllegalArgumentException("data.format = " + request.format() + " needs data." + k.key());
            }
        }
        Map<String, String> p = request.paths();
        return switch (request.format()) {
            case "idx" -> idx(p, request.trainLimit(), request.testLimit(), conf);
            case BrownGenreFormat.NAME -> split(BrownGenreFormat.read(p.get("text-dir"), p.get("tokenizer"),
                    request.sequenceLength(), request.testShare(), request.trainLimit(), request.testLimit(), conf));
            case SotuLmFormat.NAME -> split(SotuLmFormat.read(p.get("text-dir"), p.get("tokenizer"),
                    request.sequenceLength(), request.testShare(), request.trainLimit(), request.testLimit(), conf));
            default -> throw unknown(request.format());
        };
    }

    private static IllegalArgumentException unknown(String format) {
        return new IllegalArgumentException("data.format = " + format + " is not one of: " + String.join(", ", NAMES));
    }

    private static Split split(TokenSplit s) {
        return new Split(s.train(), s.test());
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
