package dev.fedlora.data.text;

import java.io.Serializable;

/**
 * One document of a text corpus.
 *
 * @param id the document's name within its corpus, unique there (the Brown file name {@code ca01},
 *     the State of the Union file stem {@code 1790_george_washington_n}); loaders sort by it
 * @param label what the document belongs to: the Brown genre, the president, ham or spam
 * @param labelIndex the label as a class index in [0, number of labels), in the order the corpus
 *     class documents
 * @param year the year the text is from, or {@code null} where the corpus does not say
 * @param text the readable text, UTF-8 decodable, lines separated by {@code \n}
 */
public record TextDocument(String id, String label, int labelIndex, Integer year, String text) implements Serializable {
    /** @throws IllegalArgumentException if the id is empty, a field is null or the index negative */
    public TextDocument {
        if (id == null || id.isEmpty()) throw new IllegalArgumentException("document id must be non-empty, found " + id);
        if (label == null) throw new IllegalArgumentException("document " + id + ": label is null");
        if (labelIndex < 0) {
            throw new IllegalArgumentException("document " + id + ": labelIndex must be >= 0, found " + labelIndex);
        }
        if (text == null) throw new IllegalArgumentException("document " + id + ": text is null");
    }

    public boolean hasYear() {
        return year != null;
    }

    /** The document without its text, for logs. */
    @Override
    public String toString() {
        return "TextDocument[" + id + ", " + label + " (" + labelIndex + ")" + (year == null ? "" : ", " + year)
                + ", " + text.length() + " chars]";
    }
}
