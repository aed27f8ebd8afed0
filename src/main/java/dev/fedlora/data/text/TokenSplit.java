package dev.fedlora.data.text;

import dev.fedlora.data.DataException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * A training and a test set of token sequences, as a text format ({@link BrownGenreFormat},
 * {@link SotuLmFormat}) reads them.
 */
public record TokenSplit(TokenExamples train, TokenExamples test) {
    /** What a missing tokenizer file's message says about making one. */
    public static final String TOKENIZER_HINT =
            "the transformer pretraining job jobs/pretrain-transformer.sh writes it (a BPE tokenizer trained on the"
                    + " training documents)";

    /** The first {@code trainLimit} training and {@code testLimit} test sequences (0 = all). */
    public TokenSplit limit(int trainLimit, int testLimit) {
        return new TokenSplit(train.first(trainLimit), test.first(testLimit));
    }

    /**
     * Reads the BPE tokenizer file {@code path} ({@code data.tokenizer}).
     *
     * @throws DataException if it is missing (saying how to make one) or not a valid tokenizer file
     */
    public static BpeTokenizer tokenizer(String path, Configuration conf) {
        Path p = new Path(path);
        try {
            p.getFileSystem(conf).getFileStatus(p);
        } catch (FileNotFoundException e) {
            throw new DataException("BPE tokenizer file not found: " + path + " (data.tokenizer) — " + TOKENIZER_HINT, e);
        } catch (IOException e) {
            throw new DataException("cannot read BPE tokenizer file " + path + ": " + e.getMessage(), e);
        }
        return BpeTokenizer.load(path, conf);
    }

    /** Flattens equal-length sequences into one array. */
    static int[] flatten(List<int[]> sequences, int length) {
        int[] out = new int[Math.multiplyExact(sequences.size(), length)];
        for (int i = 0; i < sequences.size(); i++) System.arraycopy(sequences.get(i), 0, out, i * length, length);
        return out;
    }

    static void checkArguments(int sequenceLength, double testShare) {
        if (sequenceLength < 1) throw new IllegalArgumentException("sequence length must be >= 1, found " + sequenceLength);
        if (!(testShare > 0 && testShare < 1)) throw new IllegalArgumentException("test share must be in (0, 1), found " + testShare);
    }
}
