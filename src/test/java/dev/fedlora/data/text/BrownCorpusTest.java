package dev.fedlora.data.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.data.DataException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrownCorpusTest {
    private static final String NEWS = "\n\n\tThe/at Fulton/np-tl County/nn-tl said/vbd ``/`` no/at evidence/nn ''/'' ./.\n"
            + "\n\n\tAtlanta's/np$ recent/jj election/nn ,/, and/or/cc 1/2/cd //in it/pps ./.\n\n";
    private static final String HUMOR = "\tIt/pps was/bedz funny/jj ./.\r\n";

    @TempDir
    Path dir;

    @Test
    void stripsTagsAndKeepsPunctuationOneSentenceALine() throws IOException {
        write("ca01", NEWS);
        write("cr09", HUMOR);

        List<TextDocument> docs = load();

        assertEquals(2, docs.size());
        TextDocument news = docs.get(0);
        assertEquals("ca01", news.id());
        assertEquals("The Fulton County said `` no evidence '' .\nAtlanta's recent election , and/or 1/2 / it .",
                news.text());
        assertEquals("It was funny .", docs.get(1).text());
        assertNull(news.year());
    }

    @Test
    void genreComesFromTheFilePrefixInTheDocumentedOrder() throws IOException {
        for (BrownGenre g : BrownGenre.values()) write("c" + g.letter() + "01", HUMOR);

        List<TextDocument> docs = load();

        assertEquals(15, docs.size());
        for (int i = 0; i < docs.size(); i++) {
            assertEquals(i, docs.get(i).labelIndex());
            assertEquals(BrownGenre.values()[i].category(), docs.get(i).label());
        }
        assertEquals("news", docs.get(0).label());
        assertEquals("learned", docs.get(8).label());
        assertEquals("humor", docs.get(14).label());
    }

    @Test
    void sortsByIdAndIgnoresFilesThatAreNotDocuments() throws IOException {
        write("cr09", HUMOR);
        write("ca02", HUMOR);
        write("ca01", HUMOR);
        write("README", "not/a document");
        write("cats.txt", "ca01 news\n");
        write("SHA256SUMS", "x");

        assertEquals(List.of("ca01", "ca02", "cr09"), load().stream().map(TextDocument::id).toList());
    }

    @Test
    void malformedTokenNamesFileAndLine() throws IOException {
        write("ca01", "\n\n\tThe/at jury/nn\n\n\n\tsaid/vbd nothing ./.\n");

        DataException e = assertThrows(DataException.class, this::load);
        assertContains(e, "ca01");
        assertContains(e, "malformed line 6");
        assertContains(e, "'nothing'");
    }

    @Test
    void tokenWithEmptyTagIsMalformed() throws IOException {
        write("ca01", "\tThe/at jury/\n");

        assertContains(assertThrows(DataException.class, this::load), "malformed line 1: token 'jury/'");
    }

    @Test
    void unexpectedGenrePrefixIsNamed() throws IOException {
        write("ca01", HUMOR);
        write("cq01", HUMOR);

        DataException e = assertThrows(DataException.class, this::load);
        assertContains(e, "cq01");
        assertContains(e, "unexpected genre prefix 'cq'");
    }

    @Test
    void emptyAndBlankFilesAreNamed() throws IOException {
        write("ca01", "");
        assertContains(assertThrows(DataException.class, this::load), "ca01: empty file");

        write("ca01", "\n\n\t\n");
        assertContains(assertThrows(DataException.class, this::load), "ca01: no word/tag tokens");
    }

    @Test
    void invalidUtf8IsNamed() throws IOException {
        Files.write(dir.resolve("ca01"), new byte[] {'A', '/', 'a', 't', ' ', (byte) 0xff, '/', 'n', 'n'});

        DataException e = assertThrows(DataException.class, this::load);
        assertContains(e, "ca01: not valid UTF-8");
    }

    @Test
    void fullCorpusLoadChecksTheDocumentCount() throws IOException {
        write("ca01", HUMOR);
        write("ca02", HUMOR);

        DataException e = assertThrows(DataException.class, () -> BrownCorpus.load(dir.toString()));
        assertContains(e, "expected 500 Brown documents");
        assertContains(e, "found 2");
    }

    @Test
    void missingFolderAndFolderWithoutDocumentsAreNamed() throws IOException {
        String missing = dir.resolve("no-such").toString();
        DataException e = assertThrows(DataException.class, () -> BrownCorpus.load(missing));
        assertContains(e, "Brown corpus folder not found: " + missing);
        assertContains(e, "jobs/fetch-data.sh");

        write("README", "x");
        assertContains(assertThrows(DataException.class, this::load), "no Brown documents");
    }

    @Test
    void readsThroughFileUris() throws IOException {
        write("ca01", HUMOR);

        List<TextDocument> docs = BrownCorpus.load(dir.toUri().toString(), -1, new Configuration());
        assertEquals("It was funny .", docs.get(0).text());
    }

    private List<TextDocument> load() {
        return BrownCorpus.load(dir.toString(), -1, new Configuration());
    }

    private void write(String name, String content) throws IOException {
        Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    static void assertContains(Exception e, String part) {
        assertTrue(e.getMessage().contains(part), () -> "message '" + e.getMessage() + "' lacks '" + part + "'");
    }
}
