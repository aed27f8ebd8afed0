package dev.fedlora.data.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;

/**
 * The {@code sotu-lm} data format: next-token prediction on the State of the Union addresses with
 * one natural client per president, the shape of FLASC's Reddit task (one client per user). Each
 * address of {@code data.text-dir} is tokenized, {@link BpeTokenizer#END_OF_TEXT} appended, and cut
 * into consecutive, non-overlapping sequences of {@code data.sequence-length} tokens (the last
 * partial sequence dropped). The sequences have no class ({@code classes() = 0}); a language model
 * predicts each token of a sequence from the ones before it.
 *
 * <p><b>Split.</b> An address is a test address when {@link DocumentSplit} puts its id in the test
 * set at {@code data.test-share} (by id hash, not stratified), except that every president keeps
 * at least one training address: of a president all of whose addresses the hash holds out, the one
 * with the largest {@link DocumentSplit#position} (ties: the larger id) stays in training, the
 * address a slightly smaller test share would give back first. A larger share still holds out a
 * superset of a smaller one's addresses. {@link #heldOutAddresses} lists the test addresses, so
 * that pretraining can leave them out.
 *
 * <p><b>Groups.</b> The group of a sequence is its president. Groups are the presidents with at
 * least one training sequence, numbered in the order of each president's first address in the
 * corpus (the {@link SotuCorpus} class index: George Washington 0, John Adams 1, ...) with the
 * presidents that have no training sequence left out; group names are the presidents' names. The
 * test set has the same groups; test sequences of a president without a training sequence (only
 * possible when each of their training addresses is shorter than one sequence) are left out.
 * Sequences come in address (year) order, then position order; {@code data.train-limit} and
 * {@code data.test-limit} keep the first N. Natural clients take {@code clients.partition.scheme =
 * natural} and {@code clients.count} = the number of groups.
 */
public final class SotuLmFormat {
    public static final String NAME = "sotu-lm";

    private SotuLmFormat() {}

    /**
     * @throws dev.fedlora.data.DataException for a missing or malformed corpus folder or tokenizer file
     * @throws IllegalArgumentException if {@code sequenceLength < 1} or {@code testShare} is outside (0, 1)
     */
    public static TokenSplit read(String textDir, String tokenizerPath, int sequenceLength, double testShare,
            int trainLimit, int testLimit, Configuration conf) {
        TokenSplit.checkArguments(sequenceLength, testShare);
        BpeTokenizer tokenizer = TokenSplit.tokenizer(tokenizerPath, conf);
        return of(SotuCorpus.load(textDir, -1, conf), tokenizer, sequenceLength, testShare).limit(trainLimit, testLimit);
    }

    /** The sequences of {@code addresses} (as {@link SotuCorpus} loads them, label = president). */
    public static TokenSplit of(List<TextDocument> addresses, Tokenizer tokenizer, String tokenizerId, int sequenceLength,
            double testShare) {
        TokenSplit.checkArguments(sequenceLength, testShare);
        DocumentSplit.Parts parts = split(addresses, testShare);
        Map<TextDocument, List<int[]>> cut = new HashMap<>();
        for (TextDocument d : addresses) cut.put(d, sequences(d, tokenizer, sequenceLength));

        Map<String, Integer> firstIndex = new LinkedHashMap<>();
        for (TextDocument d : parts.train()) {
            if (!cut.get(d).isEmpty()) firstIndex.merge(d.label(), d.labelIndex(), Math::min);
        }
        List<String> names = new ArrayList<>(firstIndex.keySet());
        names.sort(Comparator.comparing((String n) -> firstIndex.get(n)).thenComparing(Comparator.naturalOrder()));
        Map<String, Integer> group = new HashMap<>();
        for (String n : names) group.put(n, group.size());

        return new TokenSplit(examples("train", parts.train(), cut, group, names, tokenizer, tokenizerId, sequenceLength),
                examples("test", parts.test(), cut, group, names, tokenizer, tokenizerId, sequenceLength));
    }

    /** {@link #of(List, Tokenizer, String, int, double)} with a BPE tokenizer and its {@link BpeTokenizer#id()}. */
    public static TokenSplit of(List<TextDocument> addresses, BpeTokenizer tokenizer, int sequenceLength, double testShare) {
        return of(addresses, tokenizer, tokenizer.id(), sequenceLength, testShare);
    }

    /** The split by address this format uses (see the class comment); both parts keep the order given. */
    public static DocumentSplit.Parts split(List<TextDocument> addresses, double testShare) {
        DocumentSplit hash = new DocumentSplit(testShare);
        Set<String> withTraining = new HashSet<>();
        for (TextDocument d : addresses) if (!hash.isTest(d.id())) withTraining.add(d.label());
        Map<String, TextDocument> keep = new HashMap<>();
        for (TextDocument d : addresses) {
            if (withTraining.contains(d.label())) continue;
            keep.merge(d.label(), d, (a, b) -> later(a, b) ? a : b);
        }
        Set<TextDocument> kept = new HashSet<>(keep.values());
        List<TextDocument> train = new ArrayList<>();
        List<TextDocument> test = new ArrayList<>();
        for (TextDocument d : addresses) (hash.isTest(d.id()) && !kept.contains(d) ? test : train).add(d);
        return new DocumentSplit.Parts(train, test);
    }

    /** Whether {@code a} comes after {@code b} in (position, id) order. */
    private static boolean later(TextDocument a, TextDocument b) {
        int c = Double.compare(DocumentSplit.position(a.id()), DocumentSplit.position(b.id()));
        return c != 0 ? c > 0 : a.id().compareTo(b.id()) > 0;
    }

    /** The ids of the addresses of the State of the Union folder {@code textDir} that the test set holds, sorted. */
    public static List<String> heldOutAddresses(String textDir, double testShare, Configuration conf) {
        return split(SotuCorpus.load(textDir, -1, conf), testShare).test().stream().map(TextDocument::id).sorted().toList();
    }

    /** The addresses of {@code textDir} that are not held out: what pretraining may read. */
    public static List<TextDocument> trainingAddresses(String textDir, double testShare, Configuration conf) {
        return split(SotuCorpus.load(textDir, -1, conf), testShare).train();
    }

    /** An address's tokens with end of text appended, cut into sequences of {@code length}. */
    static List<int[]> sequences(TextDocument address, Tokenizer tokenizer, int length) {
        int[] encoded = tokenizer.encode(address.text());
        int[] ids = Arrays.copyOf(encoded, encoded.length + 1);
        ids[encoded.length] = tokenizer.endOfTextId();
        List<int[]> out = new ArrayList<>(ids.length / length);
        for (int start = 0; start + length <= ids.length; start += length) out.add(Arrays.copyOfRange(ids, start, start + length));
        return out;
    }

    private static TokenExamples examples(String name, List<TextDocument> addresses, Map<TextDocument, List<int[]>> cut,
            Map<String, Integer> group, List<String> names, Tokenizer tokenizer, String tokenizerId, int length) {
        List<int[]> sequences = new ArrayList<>();
        List<Integer> groups = new ArrayList<>();
        for (TextDocument d : addresses) {
            Integer g = group.get(d.label());
            if (g == null) continue;
            for (int[] s : cut.get(d)) {
                sequences.add(s);
                groups.add(g);
            }
        }
        int[] g = groups.stream().mapToInt(Integer::intValue).toArray();
        return new TokenExamples(name, length, TokenSplit.flatten(sequences, length), null, 0, g, names,
                tokenizer.vocabSize(), tokenizerId);
    }
}
