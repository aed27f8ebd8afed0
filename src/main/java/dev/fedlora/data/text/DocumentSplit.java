package dev.fedlora.data.text;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A train/test split by document: a document is in the test set when the position of its id,
 * {@code u(id)} in [0, 1), is below the test share. {@code u(id)} is the first 8 bytes of the
 * SHA-256 of the id's UTF-8 bytes read as a big-endian unsigned 64-bit integer, shifted right by 11
 * and multiplied by 2<sup>-53</sup>. It depends on the id alone, so every job (pretraining,
 * fine-tuning, evaluation) and every cluster shape holds out the same documents, and a larger share
 * holds out a superset of a smaller one's documents.
 *
 * <p>{@link #apply} is not stratified: the test share of a label varies around {@code testShare} (of
 * the Brown corpus's 500 documents, 0.2 puts 108 in the test set, none of the 17 religion ones).
 * {@link #applyStratified} gives every label its share: of a label's {@code n} documents, the
 * {@code round(testShare * n)} with the smallest {@code u(id)} (halves rounded up; ties, which
 * need equal 53-bit positions, by id) are test documents (100 of Brown's 500 at 0.2, 3 of the 17
 * religion ones). Then a document's side also depends on which other documents share its label.
 *
 * @param testShare the expected fraction of documents in the test set, in [0, 1]
 */
public record DocumentSplit(double testShare) {
    /** @throws IllegalArgumentException if {@code testShare} is outside [0, 1] */
    public DocumentSplit {
        if (!(testShare >= 0 && testShare <= 1)) {
            throw new IllegalArgumentException("testShare must be in [0, 1], found " + testShare);
        }
    }

    /** The training and test documents, each in the order given. */
    public record Parts(List<TextDocument> train, List<TextDocument> test) {
        public Parts {
            train = List.copyOf(train);
            test = List.copyOf(test);
        }
    }

    public boolean isTest(String documentId) {
        return position(documentId) < testShare;
    }

    public Parts apply(List<TextDocument> documents) {
        List<TextDocument> train = new ArrayList<>();
        List<TextDocument> test = new ArrayList<>();
        for (TextDocument d : documents) (isTest(d.id()) ? test : train).add(d);
        return new Parts(train, test);
    }

    /**
     * Splits each label's documents separately, as the class comment says, so every label holds
     * its share of the test set; both parts keep the order given.
     */
    public Parts applyStratified(List<TextDocument> documents) {
        Map<Integer, List<TextDocument>> byLabel = new TreeMap<>();
        for (TextDocument d : documents) byLabel.computeIfAbsent(d.labelIndex(), k -> new ArrayList<>()).add(d);
        Set<TextDocument> test = new HashSet<>();
        for (List<TextDocument> docs : byLabel.values()) {
            List<TextDocument> ranked = new ArrayList<>(docs);
            ranked.sort(Comparator.comparingDouble((TextDocument d) -> position(d.id())).thenComparing(TextDocument::id));
            test.addAll(ranked.subList(0, (int) Math.round(testShare * docs.size())));
        }
        List<TextDocument> trainPart = new ArrayList<>();
        List<TextDocument> testPart = new ArrayList<>();
        for (TextDocument d : documents) (test.contains(d) ? testPart : trainPart).add(d);
        return new Parts(trainPart, testPart);
    }

    /** {@code u(id)}, the id's position in [0, 1) that the split compares with the test share. */
    public static double position(String documentId) {
        byte[] digest = sha256(documentId.getBytes(StandardCharsets.UTF_8));
        return (ByteBuffer.wrap(digest, 0, 8).getLong() >>> 11) * 0x1.0p-53;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
