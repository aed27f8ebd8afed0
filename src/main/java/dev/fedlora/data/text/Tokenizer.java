package dev.fedlora.data.text;

/** Text to token ids and back; ids are in [0, {@link #vocabSize()}). */
public interface Tokenizer {
    int[] encode(String text);

    String decode(int[] ids);

    int vocabSize();

    /** The id that separates documents in a token stream. */
    int endOfTextId();

    /** The id that fills a sequence up to a fixed length. */
    int padId();
}
