package dev.fedlora.data.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Documents as model input: labelled fixed-length passages, or one token stream. */
public final class Passages {
    private Passages() {}

    /**
     * Cuts each document's tokens into consecutive, non-overlapping passages of exactly
     * {@code length} tokens, starting at token 0; the last {@code n mod length} tokens of a document
     * with {@code n} tokens are dropped, so a document shorter than one passage gives none. Passages
     * come in document order, then position order.
     *
     * @throws IllegalArgumentException if {@code length < 1}
     */
    public static List<Passage> cut(List<TextDocument> documents, Tokenizer tokenizer, int length) {
        if (length < 1) throw new IllegalArgumentException("passage length must be >= 1, found " + length);
        List<Passage> out = new ArrayList<>();
        for (TextDocument d : documents) {
            int[] ids = tokenizer.encode(d.text());
            for (int start = 0; start + length <= ids.length; start += length) {
                out.add(new Passage(d.id(), d.labelIndex(), start, Arrays.copyOfRange(ids, start, start + length)));
            }
        }
        return out;
    }

    /**
     * The documents' tokens in document order, each document followed by
     * {@link Tokenizer#endOfTextId()}: the stream a language model is pretrained on.
     */
    public static int[] stream(List<TextDocument> documents, Tokenizer tokenizer) {
        List<int[]> parts = new ArrayList<>(documents.size());
        long total = 0;
        for (TextDocument d : documents) {
            int[] ids = tokenizer.encode(d.text());
            parts.add(ids);
            total += ids.length + 1;
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("the documents hold " + total + " tokens, more than one array can hold");
        }
        int[] out = new int[(int) total];
        int at = 0;
        for (int[] ids : parts) {
            System.arraycopy(ids, 0, out, at, ids.length);
            at += ids.length;
            out[at++] = tokenizer.endOfTextId();
        }
        return out;
    }
}
