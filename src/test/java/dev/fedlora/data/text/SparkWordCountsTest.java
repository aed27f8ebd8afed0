package dev.fedlora.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Spark's word counts (RegexTokenizer + group-by) against the plain-Java ones the other tests use. */
class SparkWordCountsTest {
    private static final List<TextDocument> SAMPLE = sample();
    private static SparkSession spark;
    private static boolean ownSession;
    private static Map<String, Long> bySpark;

    @BeforeAll
    static void startSpark() {
        // A session another test class of this JVM made is borrowed, not stopped.
        ownSession = SparkSession.getDefaultSession().isEmpty();
        spark = SparkSession.builder()
                .master("local[2]")
                .appName("fedlora-word-counts-test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
        bySpark = SparkWordCounts.count(spark, SAMPLE);
    }

    @AfterAll
    static void stopSpark() {
        if (ownSession) spark.stop();
    }

    @Test
    void sparkAndPlainJavaCountTheSamePieces() {
        Map<String, Long> byJava = PreTokenizer.countWords(SAMPLE);

        assertEquals(byJava, bySpark);
        assertTrue(byJava.get(" the") >= 5, "sample holds ' the' often");
        assertTrue(byJava.containsKey(" 😀") || byJava.keySet().stream().anyMatch(k -> k.contains("😀")));
    }

    @Test
    void tokenizersTrainedOnEitherCountAreTheSameFile() {
        byte[] fromSpark = BpeTokenizerFile.format(BpeTokenizer.train(bySpark, 700, 1));
        byte[] fromJava = BpeTokenizerFile.format(BpeTokenizer.train(PreTokenizer.countWords(SAMPLE), 700, 1));

        assertArrayEquals(fromJava, fromSpark);
    }

    private static List<TextDocument> sample() {
        List<TextDocument> docs = new ArrayList<>();
        int i = 0;
        for (String s : BpeTokenizerTest.SAMPLE) docs.add(new TextDocument("s" + i++, "sample", 0, null, s));
        SplittableRandom rng = new SplittableRandom(5);
        for (int k = 0; k < 60; k++) docs.add(new TextDocument("r" + k, "random", 1, null, RandomText.of(rng, 50)));
        return docs;
    }
}
