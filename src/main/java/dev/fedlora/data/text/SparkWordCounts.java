package dev.fedlora.data.text;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;

import java.util.List;
import java.util.TreeMap;
import org.apache.spark.ml.feature.RegexTokenizer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The word statistics of BPE training computed by Spark: MLlib's {@link RegexTokenizer} finds the
 * pre-tokeniser's pieces ({@link PreTokenizer#PATTERN}, matches not gaps, case kept, no minimum
 * length beyond one character) and a group-by counts them. The result equals
 * {@link PreTokenizer#count}'s, which the tests check.
 */
public final class SparkWordCounts {
    private static final String TEXT = "text";
    private static final String PIECES = "pieces";
    private static final String PIECE = "piece";

    private SparkWordCounts() {}

    /** The counts of the documents' pieces, sorted by piece. */
    public static TreeMap<String, Long> count(SparkSession spark, List<TextDocument> documents) {
        List<String> texts = documents.stream().map(TextDocument::text).toList();
        return count(spark.createDataset(texts, Encoders.STRING()).toDF(TEXT), TEXT, PreTokenizer.PATTERN);
    }

    /**
     * The counts of the pieces of a string column, sorted by piece; for corpora already in a
     * DataFrame (read with {@code spark.read().text(...)}, for instance).
     */
    public static TreeMap<String, Long> count(Dataset<Row> texts, String textColumn, String pattern) {
        RegexTokenizer tokenizer = new RegexTokenizer()
                .setInputCol(textColumn)
                .setOutputCol(PIECES)
                .setPattern(pattern)
                .setGaps(false)
                .setToLowercase(false)
                .setMinTokenLength(1);
        Dataset<Row> counts = tokenizer.transform(texts)
                .select(explode(col(PIECES)).as(PIECE))
                .groupBy(PIECE)
                .count();
        TreeMap<String, Long> out = new TreeMap<>();
        for (Row row : counts.collectAsList()) out.put(row.getString(0), row.getLong(1));
        return out;
    }
}
