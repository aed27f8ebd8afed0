package dev.fedlora.data.text;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;

/**
 * A byte-level BPE tokenizer. The vocabulary is, in id order: the 256 single bytes (id = byte
 * value); one token per learned merge (merge {@code i} joins two earlier tokens into token
 * {@code 256 + i}); then the special tokens {@value #END_OF_TEXT} (id {@code 256 + merges}), which
 * separates documents, and {@value #PAD} (id {@code 257 + merges}), which fills sequences to a
 * fixed length.
 *
 * <p>{@link #encode} cuts text with the pre-tokeniser's pattern (see {@link PreTokenizer}), turns each
 * piece into its UTF-8 bytes and, within the piece, repeatedly merges the adjacent pair with the
 * earliest merge until none is left, which reproduces the segmentation training gave the piece. The
 * text is encoded as plain text: a special token's name in it is encoded as its characters, so
 * {@code decode(encode(s)).equals(s)} for every valid string. {@link #decode} writes each token's
 * bytes (a special token's name for a special token) and reads them as UTF-8.
 *
 * <p>Instances are immutable and thread-safe, and serialisable for a Spark broadcast. Saved with
 * {@link #save}, read with {@link #load}; the format is {@link BpeTokenizerFile}'s.
 */
public final class BpeTokenizer implements Tokenizer, Serializable {
    private static final long serialVersionUID = 1L;

    public static final String END_OF_TEXT = "<|endoftext|>";
    public static final String PAD = "<|pad|>";
    /** The special tokens, in id order after the merges. */
    public static final List<String> SPECIAL_TOKENS = List.of(END_OF_TEXT, PAD);
    public static final int BYTE_TOKENS = 256;
    /** The least count a pair needs to be merged, unless the caller gives another. */
    public static final long DEFAULT_MIN_PAIR_COUNT = 2;

    private static final int CACHE_LIMIT = 1 << 17;

    private final String pattern;
    private final int[] mergeLeft;
    private final int[] mergeRight;

    private final transient Pattern compiled;
    private final transient byte[][] tokenBytes;
    private final transient Map<Long, Integer> mergeRank;
    private final transient ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();
    private transient volatile String id;

    /**
     * @param pattern the pre-tokeniser pattern
     * @param merges merge {@code i} joins tokens {@code merges[i][0]} and {@code merges[i][1]}
     * @throws IllegalArgumentException if a merge is not two ids of earlier tokens
     */
    public BpeTokenizer(String pattern, int[][] merges) {
        this.pattern = pattern;
        this.mergeLeft = new int[merges.length];
        this.mergeRight = new int[merges.length];
        for (int i = 0; i < merges.length; i++) {
            if (merges[i].length != 2) {
                throw new IllegalArgumentException("merge " + i + " must be two token ids, found " + merges[i].length);
            }
            for (int id : merges[i]) {
                if (id < 0 || id >= BYTE_TOKENS + i) {
                    throw new IllegalArgumentException("merge " + i + " refers to token " + id
                            + ", but only tokens 0.." + (BYTE_TOKENS + i - 1) + " exist before it");
                }
            }
            mergeLeft[i] = merges[i][0];
            mergeRight[i] = merges[i][1];
        }
        compiled = Pattern.compile(pattern);
        tokenBytes = new byte[BYTE_TOKENS + merges.length][];
        for (int b = 0; b < BYTE_TOKENS; b++) tokenBytes[b] = new byte[] {(byte) b};
        mergeRank = new HashMap<>(merges.length * 2);
        for (int i = 0; i < merges.length; i++) {
            byte[] l = tokenBytes[mergeLeft[i]];
            byte[] r = tokenBytes[mergeRight[i]];
            byte[] t = Arrays.copyOf(l, l.length + r.length);
            System.arraycopy(r, 0, t, l.length, r.length);
            tokenBytes[BYTE_TOKENS + i] = t;
            mergeRank.putIfAbsent(key(mergeLeft[i], mergeRight[i]), i);
        }
    }

    /**
     * Learns up to {@code vocabSize - 258} merges from word counts with {@link #DEFAULT_MIN_PAIR_COUNT}.
     *
     * @param wordCounts how often each piece of {@link PreTokenizer#PATTERN} occurs
     *     ({@link PreTokenizer#count} or {@link SparkWordCounts#count})
     * @param vocabSize the vocabulary size wanted, special tokens included; the result is smaller if
     *     fewer pairs occur at least twice
     * @throws IllegalArgumentException if {@code vocabSize < 258}
     */
    public static BpeTokenizer train(Map<String, Long> wordCounts, int vocabSize) {
        return train(wordCounts, vocabSize, DEFAULT_MIN_PAIR_COUNT);
    }

    /** {@link #train(Map, int)} merging only pairs that occur at least {@code minPairCount} times. */
    public static BpeTokenizer train(Map<String, Long> wordCounts, int vocabSize, long minPairCount) {
        int fixed = BYTE_TOKENS + SPECIAL_TOKENS.size();
        if (vocabSize < fixed) {
            throw new IllegalArgumentException("vocabSize must be >= " + fixed + " (256 bytes + "
                    + SPECIAL_TOKENS.size() + " special tokens), found " + vocabSize);
        }
        return new BpeTokenizer(PreTokenizer.PATTERN, BpeTrainer.learn(wordCounts, vocabSize - fixed, minPairCount));
    }

    /** {@link #train(Map, int)} on the documents' word counts, counted in plain Java. */
    public static BpeTokenizer train(List<TextDocument> documents, int vocabSize) {
        return train(PreTokenizer.countWords(documents), vocabSize);
    }

    /** Deserialisation rebuilds the derived tables through the constructor, which checks the merges. */
    private Object readResolve() {
        int[][] merges = new int[mergeLeft.length][];
        for (int i = 0; i < merges.length; i++) merges[i] = merge(i);
        return new BpeTokenizer(pattern, merges);
    }

    /**
     * This tokenizer's identity: the SHA-256 its file records on its last line ({@code sha256 HEX},
     * see {@link BpeTokenizerFile}), 64 lower-case hex digits. It depends only on the pattern and
     * the merges, so a tokenizer read back from its file, or trained again on the same counts, has
     * the same id; a model stores it to check that its data are cut with the tokenizer it was
     * pretrained with.
     */
    public String id() {
        String cached = id;
        if (cached == null) id = cached = BpeTokenizerFile.checksum(this);
        return cached;
    }

    public String pattern() {
        return pattern;
    }

    public int merges() {
        return mergeLeft.length;
    }

    /** Merge {@code i} as {left id, right id}. */
    public int[] merge(int i) {
        return new int[] {mergeLeft[i], mergeRight[i]};
    }

    @Override
    public int vocabSize() {
        return BYTE_TOKENS + mergeLeft.length + SPECIAL_TOKENS.size();
    }

    @Override
    public int endOfTextId() {
        return BYTE_TOKENS + mergeLeft.length;
    }

    @Override
    public int padId() {
        return BYTE_TOKENS + mergeLeft.length + 1;
    }

    public boolean isSpecial(int id) {
        return id >= BYTE_TOKENS + mergeLeft.length && id < vocabSize();
    }

    /** A token's bytes (a special token's name in UTF-8), a copy. */
    public byte[] tokenBytes(int id) {
        checkId(id);
        if (isSpecial(id)) return SPECIAL_TOKENS.get(id - endOfTextId()).getBytes(StandardCharsets.UTF_8);
        return tokenBytes[id].clone();
    }

    /**
     * @throws IllegalArgumentException if the text holds an unpaired surrogate (it is then not valid
     *     Unicode and has no UTF-8 form)
     */
    @Override
    public int[] encode(String text) {
        checkWellFormed(text);
        IntList out = new IntList(text.length() / 3 + 4);
        Matcher m = compiled.matcher(text);
        while (m.find()) out.addAll(encodePiece(m.group()));
        return out.toArray();
    }

    /** The ids of one piece, from the cache (never handed out) or computed. */
    private int[] encodePiece(String piece) {
        int[] ids = cache.get(piece);
        if (ids != null) return ids;
        byte[] bytes = piece.getBytes(StandardCharsets.UTF_8);
        int[] sym = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) sym[i] = bytes[i] & 0xff;
        int n = sym.length;
        while (n > 1) {
            int best = Integer.MAX_VALUE;
            for (int i = 0; i + 1 < n; i++) {
                Integer rank = mergeRank.get(key(sym[i], sym[i + 1]));
                if (rank != null && rank < best) best = rank;
            }
            if (best == Integer.MAX_VALUE) break;
            int a = mergeLeft[best];
            int b = mergeRight[best];
            int out = 0;
            for (int i = 0; i < n; ) {
                if (i + 1 < n && sym[i] == a && sym[i + 1] == b) {
                    sym[out++] = BYTE_TOKENS + best;
                    i += 2;
                } else {
                    sym[out++] = sym[i++];
                }
            }
            n = out;
        }
        ids = Arrays.copyOf(sym, n);
        if (cache.size() < CACHE_LIMIT) cache.put(piece, ids);
        return ids;
    }

    /**
     * The text of a token sequence; byte sequences that are not UTF-8 (a sequence cut inside a
     * character) become U+FFFD.
     *
     * @throws IllegalArgumentException if an id is outside [0, vocabSize)
     */
    @Override
    public String decode(int[] ids) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(ids.length * 4);
        for (int id : ids) {
            checkId(id);
            if (isSpecial(id)) {
                bytes.writeBytes(SPECIAL_TOKENS.get(id - endOfTextId()).getBytes(StandardCharsets.UTF_8));
            } else {
                bytes.writeBytes(tokenBytes[id]);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Writes this tokenizer to a file (any Hadoop path), atomically. */
    public void save(String path, Configuration conf) throws IOException {
        BpeTokenizerFile.write(this, path, conf);
    }

    public void save(String path) throws IOException {
        save(path, new Configuration());
    }

    /**
     * @throws dev.fedlora.data.DataException naming the file if it is missing, empty, not a tokenizer
     *     file, of another format version, fails its checksum or has a malformed line
     */
    public static BpeTokenizer load(String path, Configuration conf) {
        return BpeTokenizerFile.read(path, conf);
    }

    public static BpeTokenizer load(String path) {
        return load(path, new Configuration());
    }

    private void checkId(int id) {
        if (id < 0 || id >= vocabSize()) {
            throw new IllegalArgumentException("token id " + id + " is outside [0, " + vocabSize() + ")");
        }
    }

    private static void checkWellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(String.format(
                        "text has an unpaired surrogate U+%04X at index %d: not valid Unicode, no UTF-8 form", (int) c, i));
            }
        }
    }

    private static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xffffffffL);
    }

    /** A growable int array. */
    private static final class IntList {
        private int[] values;
        private int size;

        IntList(int capacity) {
            values = new int[Math.max(capacity, 4)];
        }

        void addAll(int[] more) {
            if (size + more.length > values.length) values = Arrays.copyOf(values, Math.max(values.length * 2, size + more.length));
            System.arraycopy(more, 0, values, size, more.length);
            size += more.length;
        }

        int[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
