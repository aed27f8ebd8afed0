package dev.fedlora.data.text;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A fixed-length run of a document's tokens, labelled with the document's class.
 *
 * @param documentId the id of the document it was cut from
 * @param label the document's class index
 * @param start the index of its first token in the document's token sequence
 * @param tokens the token ids
 */
public record Passage(String documentId, int label, int start, int[] tokens) implements Serializable {
    public int length() {
        return tokens.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Passage p && documentId.equals(p.documentId) && label == p.label && start == p.start
                && Arrays.equals(tokens, p.tokens);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * documentId.hashCode() + label) + start) + Arrays.hashCode(tokens);
    }

    @Override
    public String toString() {
        return "Passage[" + documentId + " @" + start + ", label " + label + ", " + tokens.length + " tokens]";
    }
}
