/**
 * Text data: loaders for the Brown corpus, the State of the Union addresses and the SpamAssassin
 * e-mails as {@link dev.fedlora.data.text.TextDocument}s, a train/test split by document, fixed-length
 * passages for classification and a token stream for pretraining, and the byte-level BPE tokenizer
 * they are cut with (its pre-tokeniser, word counts with Spark or plain Java, training, file format).
 * The {@code data.format}s {@code brown-genre} ({@link dev.fedlora.data.text.BrownGenreFormat}) and
 * {@code sotu-lm} ({@link dev.fedlora.data.text.SotuLmFormat}) turn them into
 * {@link dev.fedlora.data.text.TokenExamples}, fixed-length token sequences with their labels or
 * natural groups, and name the documents they hold out for the test set, so that pretraining can
 * leave the same ones out.
 *
 * <p>The loaders read the folders {@code jobs/fetch-data.sh} fills (the npm packages' files as they
 * are, so the same files from upstream work too) through the Hadoop FileSystem API, so any Hadoop
 * path (local, {@code hdfs://}, {@code s3a://}) works. Every load is deterministic: documents come
 * sorted by id.
 */
package dev.fedlora.data.text;
