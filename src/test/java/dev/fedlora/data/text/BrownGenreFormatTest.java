package dev.fedlora.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.data.DataException;
import dev.fedlora.data.registry.DataFormats;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The brown-genre format on a tiny Brown folder (4 documents a genre) and a 300-token BPE. */
class BrownGenreFormatTest {
    private static final int T = 16;
    @TempDir
    static Path tmp;
    static String dir;
    static String tokenizerFile;
    static List<TextDocument> docs;
    static BpeTokenizer bpe;

    @BeforeAll
    static void corpus() {
        dir = tmp.resolve("brown").toString();
        TextFixtures.writeBrown(Path.of(dir), 4, 7);
        docs = BrownCorpus.load(dir, -1, new Configuration());
        tokenizerFile = tmp.resolve("brown.tok").toString();
        bpe = TextFixtures.tokenizer(docs, Path.of(tokenizerFile));
    }

    private static TokenSplit read(int trainLimit, int testLimit) {
        return BrownGenreFormat.read(dir, tokenizerFile, T, 0.25, trainLimit, testLimit, new Configuration());
    }

    @Test
    void splitsByDocumentStratifiedByGenre() {
        DocumentSplit.Parts parts = BrownGenreFormat.split(docs, 0.25);

        Set<String> train = new HashSet<>();
        for (TextDocument d : parts.train()) train.add(d.id());
        for (TextDocument d : parts.test()) assertTrue(!train.contains(d.id()), d.id() + " is on both sides");
        assertEquals(60, parts.train().size() + parts.test().size());
        assertEquals(15, parts.test().size(), "one of each genre's four documents");
        assertEquals(15, parts.test().stream().map(TextDocument::labelIndex).distinct().count());
        assertEquals(parts.test().stream().map(TextDocument::id).sorted().toList(),
                BrownGenreFormat.heldOutDocuments(dir, 0.25, new Configuration()));
        assertEquals(parts.train(), BrownGenreFormat.trainingDocuments(dir, 0.25, new Configuration()));
    }

    @Test
    void passagesAreTheSplitDocumentsCutIntoSequenceLengthRuns() {
        TokenSplit split = read(0, 0);
        DocumentSplit.Parts parts = BrownGenreFormat.split(docs, 0.25);

        assertSamePassages(Passages.cut(parts.train(), bpe, T), split.train());
        assertSamePassages(Passages.cut(parts.test(), bpe, T), split.test());
        for (TokenExamples set : List.of(split.train(), split.test())) {
            assertEquals(T, set.sequenceLength());
            assertEquals(BrownGenreFormat.CLASSES, set.classes());
            assertEquals(15, set.classes());
            assertEquals(0, set.groups());
            assertEquals(bpe.vocabSize(), set.vocabSize());
            assertEquals(bpe.id(), set.tokenizerId());
            for (int label : set.labels()) assertTrue(label >= 0 && label < 15, "label " + label);
        }
        int expected = 0;
        for (TextDocument d : parts.test()) expected += bpe.encode(d.text()).length / T;
        assertEquals(expected, split.test().size());
        assertTrue(split.train().size() > 3 * split.test().size() / 2, split.train() + " / " + split.test());
    }

    private static void assertSamePassages(List<Passage> expected, TokenExamples actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i).tokens(), actual.tokens(i), "passage " + i);
            assertEquals(expected.get(i).label(), actual.label(i));
        }
    }

    @Test
    void limitsKeepTheFirstPassages() {
        TokenSplit all = read(0, 0);
        TokenSplit few = read(5, 3);

        assertEquals(5, few.train().size());
        assertEquals(3, few.test().size());
        for (int i = 0; i < 5; i++) assertArrayEquals(all.train().tokens(i), few.train().tokens(i));
        assertEquals(all.test().label(2), few.test().label(2));
    }

    @Test
    void readThroughDataFormats() {
        DataFormats.Split split = DataFormats.read(new DataFormats.Request("brown-genre",
                Map.of("text-dir", dir, "tokenizer", tokenizerFile), T, 0.25, 0, 0), new Configuration());

        assertEquals(read(0, 0).train().size(), split.train().size());
        assertTrue(split.test() instanceof TokenExamples);
        assertEquals(List.of("text-dir", "tokenizer"),
                DataFormats.pathKeys("brown-genre").stream().map(DataFormats.PathKey::key).toList());
    }

    @Test
    void theTokenizerIdIsTheChecksumItsFileRecords() throws java.io.IOException {
        List<String> lines = java.nio.file.Files.readAllLines(Path.of(tokenizerFile));
        assertEquals("sha256 " + bpe.id(), lines.get(lines.size() - 1));
        assertEquals(bpe.id(), BpeTokenizer.load(tokenizerFile).id());
        assertEquals(64, bpe.id().length());
        assertTrue(!bpe.id().equals(BpeTokenizer.train(docs, 290).id()));
    }

    @Test
    void aMissingTokenizerSaysHowToMakeOne() {
        String missing = tmp.resolve("none.tok").toString();
        DataException e = assertThrows(DataException.class,
                () -> BrownGenreFormat.read(dir, missing, T, 0.25, 0, 0, new Configuration()));
        assertTrue(e.getMessage().contains(missing) && e.getMessage().contains("jobs/pretrain-transformer.sh"), e.getMessage());
    }

    @Test
    void aMissingFolderSaysToFetchTheData() {
        String missing = tmp.resolve("no-brown").toString();
        DataException e = assertThrows(DataException.class,
                () -> BrownGenreFormat.read(missing, tokenizerFile, T, 0.25, 0, 0, new Configuration()));
        assertTrue(e.getMessage().contains("jobs/fetch-data.sh"), e.getMessage());
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> BrownGenreFormat.of(docs, bpe, 0, 0.2));
        assertThrows(IllegalArgumentException.class, () -> BrownGenreFormat.of(docs, bpe, T, 0));
        assertThrows(IllegalArgumentException.class, () -> BrownGenreFormat.of(docs, bpe, T, 1));
    }
}
