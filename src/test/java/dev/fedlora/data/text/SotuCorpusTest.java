package dev.fedlora.data.text;

import static dev.fedlora.data.text.BrownCorpusTest.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.fedlora.data.DataException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SotuCorpusTest {
    @TempDir
    Path dir;

    @Test
    void presidentYearPartyAndTextComeFromTheFiles() throws IOException {
        write("1790_george_washington_n.txt", "Fellow-Citizens of the Senate: ... \n");
        write("1897_william_mc_kinley_r.txt", "  To the Senate — “liberty”.\n\n");
        write("1953_harry_s_truman_d.txt", "Mr. President.");
        write("1946_harry_s_truman_d.txt", "Earlier.");
        write("1790_george_washington_n.json", "{}");
        write("datapackage.json", "{}");

        List<TextDocument> docs = load();

        assertEquals(List.of("1790_george_washington_n", "1897_william_mc_kinley_r", "1946_harry_s_truman_d",
                "1953_harry_s_truman_d"), docs.stream().map(TextDocument::id).toList());
        TextDocument first = docs.get(0);
        assertEquals("George Washington", first.label());
        assertEquals(1790, first.year());
        assertEquals("Fellow-Citizens of the Senate: ...", first.text());
        assertEquals("none", SotuCorpus.party(first));
        assertEquals("William Mc Kinley", docs.get(1).label());
        assertEquals("To the Senate — “liberty”.", docs.get(1).text());
        assertEquals("Republican", SotuCorpus.party(docs.get(1)));
        assertEquals(List.of(0, 1, 2, 2), docs.stream().map(TextDocument::labelIndex).toList());
    }

    @Test
    void misnamedFileIsNamed() throws IOException {
        write("1790_george_washington_n.txt", "x");
        write("washington.txt", "x");

        DataException e = assertThrows(DataException.class, this::load);
        assertContains(e, "washington.txt: file name is not YEAR_PRESIDENT_PARTY.txt");
    }

    @Test
    void unknownPartyCodeIsNamed() throws IOException {
        write("2030_jane_doe_x.txt", "x");

        assertContains(assertThrows(DataException.class, this::load), "2030_jane_doe_x.txt: unexpected party code 'x'");
    }

    @Test
    void blankAddressIsNamed() throws IOException {
        write("1790_george_washington_n.txt", " \n\t\n");

        assertContains(assertThrows(DataException.class, this::load), "1790_george_washington_n.txt: no text");
    }

    @Test
    void fullLoadChecksTheCount() throws IOException {
        write("1790_george_washington_n.txt", "x");

        DataException e = assertThrows(DataException.class, () -> SotuCorpus.load(dir.toString()));
        assertContains(e, "expected 233 addresses");
        assertContains(e, "found 1");
    }

    private List<TextDocument> load() {
        return SotuCorpus.load(dir.toString(), -1, new Configuration());
    }

    private void write(String name, String content) throws IOException {
        Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }
}
