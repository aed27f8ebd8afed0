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

class SpamAssassinCorpusTest {
    private static final String MD5 = "7848dde101aa985090474a91ec93fcf0";

    @TempDir
    Path dir;

    @Test
    void groupsGiveHamOrSpamAndBadBytesBecomeReplacementCharacters() throws IOException {
        write("spam-1", "00001." + MD5 + ".txt", "Subject: win\n\nmoney".getBytes(StandardCharsets.UTF_8));
        write("easy-ham-1", "00002." + MD5 + ".txt", new byte[] {'c', 'a', 'f', (byte) 0xe9, '\n'});
        write("easy-ham-1", "00002." + MD5 + ".json", "{}".getBytes(StandardCharsets.UTF_8));
        Files.writeString(dir.resolve("datapackage.json"), "{}");

        List<TextDocument> docs = SpamAssassinCorpus.load(dir.toString(), -1, new Configuration());

        assertEquals(List.of("easy-ham-1/00002." + MD5, "spam-1/00001." + MD5), docs.stream().map(TextDocument::id).toList());
        assertEquals("ham", docs.get(0).label());
        assertEquals(SpamAssassinCorpus.HAM, docs.get(0).labelIndex());
        assertEquals("caf\ufffd\n", docs.get(0).text());
        assertEquals(SpamAssassinCorpus.SPAM, docs.get(1).labelIndex());
        assertEquals("spam-1", SpamAssassinCorpus.group(docs.get(1)));
        assertEquals("Subject: win\n\nmoney", docs.get(1).text());
    }

    @Test
    void unknownGroupAndMisnamedFileAreNamed() throws IOException {
        write("ham-3", "00001." + MD5 + ".txt", new byte[] {'x'});
        assertContains(assertThrows(DataException.class, this::load), "unexpected group folder 'ham-3'");

        Files.delete(dir.resolve("ham-3").resolve("00001." + MD5 + ".txt"));
        Files.delete(dir.resolve("ham-3"));
        write("spam-2", "mail.txt", new byte[] {'x'});
        assertContains(assertThrows(DataException.class, this::load), "mail.txt: file name is not NNNNN.MD5.txt");
    }

    private List<TextDocument> load() {
        return SpamAssassinCorpus.load(dir.toString(), -1, new Configuration());
    }

    private void write(String group, String name, byte[] content) throws IOException {
        Files.createDirectories(dir.resolve(group));
        Files.write(dir.resolve(group).resolve(name), content);
    }
}
