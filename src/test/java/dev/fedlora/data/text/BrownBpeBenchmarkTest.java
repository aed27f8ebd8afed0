package dev.fedlora.data.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Training time and compression of a 4096-token BPE on the whole Brown corpus. Opt-in, as it takes
 * seconds: {@code mvn test -Dtest=BrownBpeBenchmarkTest -Dfedlora.textBench=true}.
 */
class BrownBpeBenchmarkTest {
    @Test
    void trains4096TokensOnBrown() {
        assumeTrue(Boolean.getBoolean("fedlora.textBench"), "set -Dfedlora.textBench=true to run");
        assumeTrue(Files.isDirectory(Path.of("data/text/brown")), "run jobs/fetch-data.sh");

        long t0 = System.nanoTime();
        List<TextDocument> docs = BrownCorpus.load("data/text/brown");
        long t1 = System.nanoTime();
        Map<String, Long> counts = PreTokenizer.countWords(docs);
        long t2 = System.nanoTime();
        BpeTokenizer bpe = BpeTokenizer.train(counts, 4096);
        long t3 = System.nanoTime();
        long tokens = 0;
        long bytes = 0;
        for (TextDocument d : docs) {
            int[] ids = bpe.encode(d.text());
            tokens += ids.length;
            bytes += d.text().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            assertEquals(d.text(), bpe.decode(ids));
        }
        long t4 = System.nanoTime();
        long duplicates = java.util.stream.IntStream.range(0, bpe.vocabSize() - 2)
                .mapToObj(i -> new String(bpe.tokenBytes(i), java.nio.charset.StandardCharsets.ISO_8859_1))
                .distinct().count();
        System.out.printf("Brown: %d documents, %d words (word/tag tokens), %d pieces (%d distinct), %d bytes%n",
                docs.size(), BrownCorpus.TOKENS, PreTokenizer.total(counts), counts.size(), bytes);
        System.out.printf("load %.2f s, count %.2f s, train %.2f s (vocab %d, %d merges, %d distinct byte strings),"
                + " encode+decode %.2f s%n", (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, bpe.vocabSize(),
                bpe.merges(), duplicates, (t4 - t3) / 1e9);
        System.out.printf("%d BPE tokens: %.3f tokens/word, %.3f bytes/token%n", tokens,
                (double) tokens / BrownCorpus.TOKENS, (double) bytes / tokens);
        assertEquals(4096, bpe.vocabSize());
        if (Files.isDirectory(Path.of("data/text/sotu"))) {
            List<TextDocument> sotu = SotuCorpus.load("data/text/sotu");
            long sotuTokens = 0;
            long sotuWords = 0;
            for (TextDocument d : sotu) {
                sotuTokens += bpe.encode(d.text()).length;
                sotuWords += d.text().split("\\s+").length;
            }
            System.out.printf("State of the Union with the Brown tokenizer: %d tokens, %.3f tokens per"
                    + " white-space word%n", sotuTokens, (double) sotuTokens / sotuWords);
        }
    }
}
