package dev.fedlora.data.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cuts text into the pieces BPE merges never cross, with the regular expression {@link #PATTERN}
 * (after GPT-2's; Radford et al., "Language Models are Unsupervised Multitask Learners", 2019): an English contraction suffix ({@code 's 't 're 've 'm 'll 'd}); a run of
 * letters, a run of digits, or a run of other non-space characters, each with at most one leading
 * space; a run of white space not followed by a non-space (so the last space before a word stays
 * with the word); any remaining run of white space. Every character falls into some alternative, so
 * the pieces concatenate back to the text exactly. The pattern is compiled without flags, as Spark's
 * {@code RegexTokenizer} compiles it, so both cut text the same way; {@code \s} is therefore ASCII
 * white space, and other white space (U+00A0, U+3000, ...) goes with the punctuation runs.
 */
public final class PreTokenizer {
    /** The pre-tokenisation pattern (Java regular-expression syntax). */
    public static final String PATTERN =
            "'(?:s|t|re|ve|m|ll|d)| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

    private final String pattern;
    private final Pattern compiled;

    /** A pre-tokeniser with {@link #PATTERN}. */
    public PreTokenizer() {
        this(PATTERN);
    }

    /**
     * @param pattern a pattern whose matches cover every text completely
     * @throws java.util.regex.PatternSyntaxException if it does not compile
     */
    public PreTokenizer(String pattern) {
        this.pattern = pattern;
        this.compiled = Pattern.compile(pattern);
    }

    public String pattern() {
        return pattern;
    }

    /** The pieces of {@code text}, in order. */
    public List<String> split(String text) {
        List<String> pieces = new ArrayList<>();
        Matcher m = compiled.matcher(text);
        while (m.find()) pieces.add(m.group());
        return pieces;
    }

    /**
     * How often each piece occurs in the texts: the plain-Java word statistics BPE training reads,
     * equal to {@link SparkWordCounts#count}'s.
     *
     * @return the counts sorted by piece
     */
    public TreeMap<String, Long> count(Iterable<String> texts) {
        TreeMap<String, Long> counts = new TreeMap<>();
        for (String text : texts) {
            Matcher m = compiled.matcher(text);
            while (m.find()) counts.merge(m.group(), 1L, Long::sum);
        }
        return counts;
    }

    /** {@link #count(Iterable)} over the documents' texts. */
    public static TreeMap<String, Long> countWords(List<TextDocument> documents) {
        return new PreTokenizer().count(documents.stream().map(TextDocument::text).toList());
    }

    /** Total occurrences in a count map. */
    public static long total(Map<String, Long> counts) {
        long sum = 0;
        for (long c : counts.values()) sum += c;
        return sum;
    }
}
