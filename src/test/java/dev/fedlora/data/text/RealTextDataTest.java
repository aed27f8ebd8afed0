package dev.fedlora.data.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The fetched corpora (jobs/fetch-data.sh, which the Maven build runs); skipped when absent. */
class RealTextDataTest {
    private static final Path BROWN = Path.of("data/text/brown");
    private static final Path SOTU = Path.of("data/text/sotu");
    private static final Path SPAM = Path.of("data/text/spam-assassin");
    private static final Pattern WORD_BREAK = Pattern.compile("[ \n]");
    private static List<TextDocument> brown;

    @Test
    void brownHas500DocumentsIn15GenresAnd1161192Tokens() {
        List<TextDocument> docs = brown();

        assertEquals(BrownCorpus.DOCUMENTS, docs.size());
        Map<BrownGenre, Integer> perGenre = new EnumMap<>(BrownGenre.class);
        long tokens = 0;
        for (TextDocument d : docs) {
            perGenre.merge(BrownGenre.values()[d.labelIndex()], 1, Integer::sum);
            tokens += WORD_BREAK.split(d.text()).length;
        }
        assertEquals(15, perGenre.size());
        for (BrownGenre g : BrownGenre.values()) assertEquals(g.documents(), perGenre.get(g), g.category());
        assertEquals(BrownCorpus.TOKENS, tokens);
        assertTrue(docs.get(0).text().startsWith("The Fulton County Grand Jury said Friday an investigation of"
                + " Atlanta's recent primary election produced `` no evidence '' that any irregularities took place ."));
    }

    @Test
    void brownGenresAgreeWithNltkCategories() throws IOException {
        List<TextDocument> docs = brown();
        Map<String, String> cats = new HashMap<>();
        for (String line : Files.readAllLines(BROWN.resolve("cats.txt"))) {
            String[] f = line.trim().split(" ");
            cats.put(f[0], f[1]);
        }
        for (TextDocument d : docs) assertEquals(cats.get(d.id()), d.label(), d.id());
    }

    @Test
    void sotuHas233AddressesFrom1790To2021() {
        assumeTrue(Files.isDirectory(SOTU), "run jobs/fetch-data.sh to include data/text/sotu");
        List<TextDocument> docs = SotuCorpus.load(SOTU.toString());

        assertEquals(SotuCorpus.DOCUMENTS, docs.size());
        assertEquals("George Washington", docs.get(0).label());
        assertEquals(1790, docs.get(0).year());
        assertEquals(2021, docs.get(docs.size() - 1).year());
        assertEquals("Joseph R Biden", docs.get(docs.size() - 1).label());
        assertEquals("Democratic", SotuCorpus.party(docs.get(docs.size() - 1)));
        assertEquals(43, docs.stream().map(TextDocument::label).distinct().count());
        assertTrue(docs.get(0).text().startsWith("Fellow-Citizens of the Senate and House of Representatives:"));
    }

    @Test
    void spamAssassinHas6046Emails() {
        assumeTrue(Files.isDirectory(SPAM), "run jobs/fetch-data.sh to include data/text/spam-assassin");
        List<TextDocument> docs = SpamAssassinCorpus.load(SPAM.toString());

        assertEquals(SpamAssassinCorpus.DOCUMENTS, docs.size());
        assertEquals(1896, docs.stream().filter(d -> d.labelIndex() == SpamAssassinCorpus.SPAM).count());
    }

    @Test
    void brownSplitAndASmallTokenizerOnTheRealText() {
        List<TextDocument> docs = brown();
        assertEquals(108, new DocumentSplit(0.2).apply(docs).test().size());
        DocumentSplit.Parts parts = new DocumentSplit(0.2).applyStratified(docs);
        assertEquals(400, parts.train().size());
        assertEquals(100, parts.test().size());
        assertEquals(15, parts.test().stream().map(TextDocument::labelIndex).distinct().count());

        BpeTokenizer bpe = BpeTokenizer.train(PreTokenizer.countWords(parts.train().subList(0, 100)), 1024);
        assertEquals(1024, bpe.vocabSize());
        for (TextDocument d : parts.test().subList(0, 5)) assertEquals(d.text(), bpe.decode(bpe.encode(d.text())));
        List<Passage> passages = Passages.cut(parts.test().subList(0, 5), bpe, 128);
        assertTrue(passages.size() > 5 * 10, passages.size() + " passages");
    }

    private static synchronized List<TextDocument> brown() {
        assumeTrue(Files.isDirectory(BROWN), "run jobs/fetch-data.sh to include data/text/brown");
        if (brown == null) brown = BrownCorpus.load(BROWN.toString());
        return brown;
    }
}
