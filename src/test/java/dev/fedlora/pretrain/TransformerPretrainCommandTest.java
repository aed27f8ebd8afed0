package dev.fedlora.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fedlora.Main;
import dev.fedlora.data.text.BpeTokenizer;
import dev.fedlora.data.text.BrownCorpus;
import dev.fedlora.data.text.BrownSplit;
import dev.fedlora.data.text.TextDocument;
import dev.fedlora.model.transformer.TransformerBase;
import dev.fedlora.model.transformer.TransformerBaseFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code pretrain-transformer} command on a small synthetic Brown-format corpus, tiny model. */
class TransformerPretrainCommandTest {
    private static final String[] WORDS = {"the", "jury", "said", "it", "was", "a", "county", "election", "of",
        "new", "city", "report", "and", "that", "he", "would", "be", "not", "in", "for"};
    private static final String[] TAGS = {"at", "nn", "vbd", "pps", "bedz", "at", "nn", "nn", "in", "jj", "nn", "nn",
        "cc", "cs", "pps", "md", "be", "*", "in", "in"};

    @TempDir
    Path dir;
    Path corpus;
    Path out;

    @BeforeEach
    void writeCorpus() throws IOException {
        corpus = Files.createDirectories(dir.resolve("brown"));
        out = Files.createDirectories(dir.resolve("base"));
        SplittableRandom rng = new SplittableRandom(11);
        // 10 news and 5 humor documents: the stratified split holds out 2 and 1
        for (int d = 1; d <= 15; d++) {
            StringBuilder text = new StringBuilder();
            for (int s = 0; s < 12; s++) {
                text.append("\n\n\t");
                int w = rng.nextInt(WORDS.length);
                for (int i = 0; i < 10; i++) {
                    text.append(WORDS[w]).append('/').append(TAGS[w]).append(' ');
                    w = rng.nextInt(5) == 0 ? rng.nextInt(WORDS.length) : (w + 1) % WORDS.length;
                }
                text.append("./.\n");
            }
            String name = d <= 10 ? String.format("ca%02d", d) : String.format("cr%02d", d - 10);
            Files.writeString(corpus.resolve(name), text.toString());
        }
        Files.writeString(corpus.resolve("README"), "not a document");
    }

    private List<String> args(String... more) {
        List<String> a = new ArrayList<>(List.of("pretrain-transformer", "--corpus", corpus.toString(), "--documents", "-1",
                "--tokenizer", out.resolve("t.tok").toString(), "--out", out.resolve("b.fltb").toString(),
                "--report", out.resolve("r.json").toString(), "--vocab", "300", "--context", "8", "--d-model", "8",
                "--heads", "2", "--layers", "1", "--d-ff", "16", "--steps", "12", "--batch", "4", "--warmup", "2",
                "--progress-every", "5", "--eval-batch", "4", "--max-perplexity-ratio", "100"));
        for (int i = 0; i < more.length; i++) {
            int at = a.indexOf(more[i]);
            boolean valued = i + 1 < more.length && !more[i + 1].startsWith("--");
            if (at >= 0 && valued) {
                a.set(at + 1, more[++i]); // an option given again replaces the default above
            } else {
                a.add(more[i]);
                if (valued) a.add(more[++i]);
            }
        }
        return a;
    }

    /** Exit code, stdout, stderr. */
    private record Result(int code, String out, String err) {}

    private Result run(List<String> args) {
        StringWriter err = new StringWriter();
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        int code;
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            code = Main.execute(new PrintWriter(err, true), args.toArray(String[]::new));
        } finally {
            System.setOut(saved);
        }
        return new Result(code, stdout.toString(StandardCharsets.UTF_8), err.toString());
    }

    private byte[] bytes(String name) throws IOException {
        return Files.readAllBytes(out.resolve(name));
    }

    @Test
    void writesTheFilesThenSaysTheyAreUpToDate() throws IOException {
        Result first = run(args());
        assertEquals(0, first.code(), first.err() + first.out());
        assertTrue(first.out().contains("step 12/12"), first.out());
        assertTrue(first.out().contains("held-out"), first.out());

        JsonNode report = new ObjectMapper().readTree(out.resolve("r.json").toFile());
        assertEquals(PretrainReport.FORMAT, report.path("format").asText());
        assertEquals(PretrainReport.sha256(out.resolve("t.tok").toString(), new Configuration()),
                report.path("tokenizer").path("sha256").asText());
        assertEquals(PretrainReport.sha256(out.resolve("b.fltb").toString(), new Configuration()),
                report.path("base").path("sha256").asText());
        assertEquals(12, report.path("training").path("steps").asInt());
        assertEquals(12 * 4 * 8, report.path("training").path("tokens_seen").asLong());
        assertEquals(3, report.path("corpus").path("test_documents").asInt());
        assertEquals(BrownSplit.TEST_SHARE, report.path("corpus").path("test_share").asDouble());
        assertTrue(report.path("evaluation").path("held_out_perplexity").asDouble() > 1);
        assertTrue(report.path("evaluation").path("bigram_perplexity").asDouble() > 1);
        TransformerBase base = TransformerBaseFile.read(out.resolve("b.fltb").toString(), new Configuration());
        BpeTokenizer bpe = BpeTokenizer.load(out.resolve("t.tok").toString());
        assertEquals(bpe.vocabSize(), base.config().vocabSize());
        assertEquals(report.path("config").path("vocabSize").asInt(), bpe.vocabSize());

        byte[] tok = bytes("t.tok"), b = bytes("b.fltb"), r = bytes("r.json");
        long modified = Files.getLastModifiedTime(out.resolve("b.fltb")).toMillis();
        Result second = run(args("--threads", "1"));
        assertEquals(0, second.code(), second.err());
        assertTrue(second.out().startsWith("up to date"), second.out());
        assertFalse(second.out().contains("step "), second.out());
        assertArrayEquals(tok, bytes("t.tok"));
        assertArrayEquals(b, bytes("b.fltb"));
        assertArrayEquals(r, bytes("r.json"));
        assertEquals(modified, Files.getLastModifiedTime(out.resolve("b.fltb")).toMillis());
    }

    @Test
    void theTokenizerNeverSeesATestDocument() throws IOException {
        assertEquals(0, run(args()).code());
        List<TextDocument> docs = BrownCorpus.load(corpus.toString(), -1, new Configuration());
        List<String> test = BrownSplit.apply(docs).test().stream().map(TextDocument::id).toList();
        assertEquals(3, test.size());
        // the same training documents give the same tokenizer, so it was trained on them alone
        BpeTokenizer expected = BpeTokenizer.train(BrownSplit.apply(docs).train(), 300);
        BpeTokenizer written = BpeTokenizer.load(out.resolve("t.tok").toString());
        assertEquals(expected.merges(), written.merges());
        for (int i = 0; i < expected.merges(); i++) assertArrayEquals(expected.merge(i), written.merge(i));
    }

    @Test
    void aCorruptBaseIsPretrainedAgainToTheSameBits() throws IOException {
        assertEquals(0, run(args()).code());
        byte[] good = bytes("b.fltb");
        byte[] bad = good.clone();
        bad[bad.length / 2] ^= 1;
        Files.write(out.resolve("b.fltb"), bad);

        Result again = run(args("--threads", "1"));
        assertEquals(0, again.code(), again.err());
        // Hadoop's local checksum file (.b.fltb.crc) or the report's SHA-256 catches it
        assertTrue(again.out().startsWith("pretraining: ") && again.out().contains("b.fltb"), again.out());
        assertArrayEquals(good, bytes("b.fltb"));
    }

    @Test
    void otherSettingsAreRefusedUnlessForced() throws IOException {
        assertEquals(0, run(args()).code());
        byte[] before = bytes("b.fltb");
        Result refused = run(args("--steps", "13"));
        assertEquals(Main.EXIT_BAD_INPUT, refused.code());
        assertTrue(refused.err().contains("steps 12 -> 13") && refused.err().contains("--force"), refused.err());
        assertArrayEquals(before, bytes("b.fltb"));

        Result forced = run(args("--steps", "13", "--force"));
        assertEquals(0, forced.code(), forced.err());
        assertFalse(Arrays.equals(before, bytes("b.fltb")));
        assertEquals(0, run(args("--steps", "13")).code());
    }

    @Test
    void anotherCorpusIsRefusedUnlessForced() throws IOException {
        assertEquals(0, run(args()).code());
        Result r = run(args("--corpus", dir.resolve("nowhere").toString()));
        assertEquals(Main.EXIT_BAD_INPUT, r.code());
        assertTrue(r.err().contains("pretrained on the corpus " + corpus) && r.err().contains("--force"), r.err());
        Result forced = run(args("--corpus", dir.resolve("nowhere").toString(), "--force"));
        assertEquals(Main.EXIT_BAD_INPUT, forced.code());
        assertTrue(forced.err().contains("Brown corpus folder not found"), forced.err());
    }

    @Test
    void aMissingCorpusFolderIsAClearErrorAndWritesNothing() {
        Result r = run(args("--corpus", dir.resolve("nowhere").toString()));
        assertEquals(Main.EXIT_BAD_INPUT, r.code());
        assertTrue(r.err().contains("Brown corpus folder not found") && r.err().contains("nowhere")
                && r.err().contains("jobs/fetch-data.sh"), r.err());
        assertFalse(Files.exists(out.resolve("t.tok")));
        assertFalse(Files.exists(out.resolve("b.fltb")));
        assertFalse(Files.exists(out.resolve("r.json")));
    }

    @Test
    void aBaseThatDoesNotBeatTheBigramIsNotWritten() {
        Result r = run(args("--max-perplexity-ratio", "0.01"));
        assertEquals(TransformerPretrainCommand.EXIT_WORSE_THAN_BIGRAM, r.code());
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("is not below") && r.err().contains("bigram"), r.err());
        assertFalse(Files.exists(out.resolve("b.fltb")));
        assertFalse(Files.exists(out.resolve("r.json")));
    }

    @Test
    void badSettingsAreConfigErrors() {
        Result r = run(args("--batch", "5"));
        assertEquals(Main.EXIT_BAD_INPUT, r.code());
        assertTrue(r.err().contains("batch must be a positive multiple of shards=2"), r.err());
    }
}
