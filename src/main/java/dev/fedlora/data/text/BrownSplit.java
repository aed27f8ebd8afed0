package dev.fedlora.data.text;

import java.util.List;

/**
 * The one train/test split of the Brown corpus that every Brown job uses: by document,
 * {@link DocumentSplit#applyStratified stratified} by genre, with {@link #TEST_SHARE} of each
 * genre's documents in the test part (100 of the 500). The genre-classification data format
 * ({@code brown-genre}) tests on exactly this test part, and transformer pretraining (the BPE
 * tokenizer and the language model) never sees it, so no test document of the classification task
 * was ever read by the base model. A job that splits Brown must take the share from here rather than
 * write its own number.
 */
public final class BrownSplit {
    /** The test share of every genre's documents. */
    public static final double TEST_SHARE = 0.2;
    /** The split itself: {@code new DocumentSplit(TEST_SHARE)}. */
    public static final DocumentSplit SPLIT = new DocumentSplit(TEST_SHARE);

    private BrownSplit() {}

    /** {@code SPLIT.applyStratified(documents)}: training and test documents, each in the order given. */
    public static DocumentSplit.Parts apply(List<TextDocument> documents) {
        return SPLIT.applyStratified(documents);
    }
}
