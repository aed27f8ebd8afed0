package dev.fedlora.data.text;

import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/**
 * The {@code brown-genre} data format: genre classification on the Brown corpus, 15 classes (the
 * {@link BrownGenre} order: news 0 .. humor 14, whatever genres the training set holds). The
 * documents of {@code data.text-dir} are split by document with
 * {@link DocumentSplit#applyStratified} at {@code data.test-share} (every genre keeps its share of
 * test documents), and each side's documents are cut with the tokenizer into consecutive,
 * non-overlapping passages of {@code data.sequence-length} tokens ({@link Passages#cut}: a
 * document's last partial passage is dropped), labelled with the document's genre. Passages come
 * in document-id order, then position order; {@code data.train-limit} and {@code data.test-limit}
 * keep the first N. The data have no natural groups.
 *
 * <p>No document has passages on both sides. The held-out documents depend only on the ids and
 * genres of the corpus and the test share, so a pretraining job that leaves out
 * {@link #heldOutDocuments} (or trains on {@link #trainingDocuments}) never sees a test passage.
 * Any number of documents is accepted, so a part of the corpus in the same layout works too.
 */
public final class BrownGenreFormat {
    public static final String NAME = "brown-genre";
    /** The classes: every Brown genre. */
    public static final int CLASSES = BrownGenre.values().length;

    private BrownGenreFormat() {}

    /**
     * @throws dev.fedlora.data.DataException for a missing or malformed corpus folder or tokenizer file
     * @throws IllegalArgumentException if {@code sequenceLength < 1} or {@code testShare} is outside (0, 1)
     */
    public static TokenSplit read(String textDir, String tokenizerPath, int sequenceLength, double testShare,
            int trainLimit, int testLimit, Configuration conf) {
        TokenSplit.checkArguments(sequenceLength, testShare);
        BpeTokenizer tokenizer = TokenSplit.tokenizer(tokenizerPath, conf);
        return of(BrownCorpus.load(textDir, -1, conf), tokenizer, sequenceLength, testShare).limit(trainLimit, testLimit);
    }

    /** The passages of {@code documents} (Brown documents, as {@link BrownCorpus} loads them). */
    public static TokenSplit of(List<TextDocument> documents, BpeTokenizer tokenizer, int sequenceLength, double testShare) {
        return of(documents, tokenizer, tokenizer.id(), sequenceLength, testShare);
    }

    /** {@link #of(List, BpeTokenizer, int, double)} with any tokenizer, identified by {@code tokenizerId}. */
    public static TokenSplit of(List<TextDocument> documents, Tokenizer tokenizer, String tokenizerId, int sequenceLength,
            double testShare) {
        TokenSplit.checkArguments(sequenceLength, testShare);
        DocumentSplit.Parts parts = split(documents, testShare);
        return new TokenSplit(passages("train", parts.train(), tokenizer, tokenizerId, sequenceLength),
                passages("test", parts.test(), tokenizer, tokenizerId, sequenceLength));
    }

    /** The split by document this format uses: stratified by genre. */
    public static DocumentSplit.Parts split(List<TextDocument> documents, double testShare) {
        return new DocumentSplit(testShare).applyStratified(documents);
    }

    /** The ids of the documents of the Brown folder {@code textDir} that the test set holds, sorted. */
    public static List<String> heldOutDocuments(String textDir, double testShare, Configuration conf) {
        return split(BrownCorpus.load(textDir, -1, conf), testShare).test().stream().map(TextDocument::id).sorted().toList();
    }

    /** The documents of the Brown folder {@code textDir} that are not held out: what pretraining may read. */
    public static List<TextDocument> trainingDocuments(String textDir, double testShare, Configuration conf) {
        return split(BrownCorpus.load(textDir, -1, conf), testShare).train();
    }

    private static TokenExamples passages(String name, List<TextDocument> documents, Tokenizer tokenizer, String tokenizerId,
            int length) {
        List<Passage> cut = Passages.cut(documents, tokenizer, length);
        List<int[]> sequences = new ArrayList<>(cut.size());
        int[] labels = new int[cut.size()];
        for (int i = 0; i < cut.size(); i++) {
            Passage p = cut.get(i);
            if (p.label() >= CLASSES) {
                throw new IllegalArgumentException("document " + p.documentId() + " has class " + p.label()
                        + ", not one of the " + CLASSES + " Brown genres");
            }
            sequences.add(p.tokens());
            labels[i] = p.label();
        }
        return new TokenExamples(name, length, TokenSplit.flatten(sequences, length), labels, CLASSES, null, List.of(),
                tokenizer.vocabSize(), tokenizerId);
    }
}
