package dev.fedlora.data.text;

import static dev.fedlora.data.text.BrownCorpusTest.assertContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.data.DataException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpeTokenizerFileTest {
    @TempDir
    Path dir;

    private final BpeTokenizer tokenizer = BpeTokenizer.train(new PreTokenizer().count(BpeTokenizerTest.SAMPLE), 400, 1);

    @Test
    void savedFileIsTheDocumentedTextAndLoadsBackTheSameTokenizer() throws IOException {
        Path file = dir.resolve("sample.bpe");
        tokenizer.save(file.toString());

        String text = Files.readString(file);
        assertTrue(text.startsWith("fedlora-bpe 1\npattern " + PreTokenizer.PATTERN + "\nmerges " + tokenizer.merges() + "\n"));
        assertTrue(text.contains("\nspecial <|endoftext|>\nspecial <|pad|>\nsha256 "));
        assertEquals(3 + tokenizer.merges() + 3, text.split("\n").length);

        BpeTokenizer loaded = BpeTokenizer.load(file.toString());
        assertEquals(tokenizer.vocabSize(), loaded.vocabSize());
        for (String s : BpeTokenizerTest.SAMPLE) assertArrayEquals(tokenizer.encode(s), loaded.encode(s));
        assertArrayEquals(Files.readAllBytes(file), BpeTokenizerFile.format(loaded));
        assertEquals(0, Files.list(dir).filter(p -> p.getFileName().toString().endsWith(".tmp")).count());
    }

    @Test
    void savesThroughFileUrisAndOverwrites() throws IOException {
        String uri = dir.resolve("uri.bpe").toUri().toString();
        tokenizer.save(uri);
        tokenizer.save(uri);

        assertEquals(tokenizer.merges(), BpeTokenizer.load(uri).merges());
    }

    @Test
    void editedByteFailsTheChecksum() throws IOException {
        byte[] bytes = BpeTokenizerFile.format(tokenizer);
        int at = indexOf(bytes, "\nmerges ") + 20;
        bytes[at] = (byte) (bytes[at] == '1' ? '2' : '1');
        Path file = write("edited.bpe", bytes);

        DataException e = assertThrows(DataException.class, () -> BpeTokenizer.load(file.toString()));
        assertContains(e, "edited.bpe: fails its SHA-256 checksum");
        assertContains(e, "corrupt or was edited");
    }

    @Test
    void unknownVersionIsNamed() throws IOException {
        String text = new String(BpeTokenizerFile.format(tokenizer), StandardCharsets.UTF_8).replaceFirst("fedlora-bpe 1", "fedlora-bpe 2");
        Path file = write("v2.bpe", text.getBytes(StandardCharsets.UTF_8));

        DataException e = assertThrows(DataException.class, () -> BpeTokenizer.load(file.toString()));
        assertContains(e, "v2.bpe: BPE tokenizer format version '2' is unknown; this build reads version 1");
    }

    @Test
    void otherFilesTruncationEmptinessAndAbsenceAreNamed() throws IOException {
        Path other = write("notes.txt", "hello\nworld\n".getBytes(StandardCharsets.UTF_8));
        assertContains(assertThrows(DataException.class, () -> BpeTokenizer.load(other.toString())),
                "notes.txt: not a BPE tokenizer file: line 1 is 'hello'");

        byte[] whole = BpeTokenizerFile.format(tokenizer);
        Path cut = write("cut.bpe", Arrays.copyOf(whole, whole.length / 2));
        assertContains(assertThrows(DataException.class, () -> BpeTokenizer.load(cut.toString())), "cut.bpe: truncated");

        int lastLine = indexOf(whole, "sha256 ");
        Path noSum = write("nosum.bpe", Arrays.copyOf(whole, lastLine));
        assertContains(assertThrows(DataException.class, () -> BpeTokenizer.load(noSum.toString())),
                "nosum.bpe: truncated or malformed: the last line is 'special <|pad|>'");

        Path empty = write("empty.bpe", new byte[0]);
        assertContains(assertThrows(DataException.class, () -> BpeTokenizer.load(empty.toString())), "empty.bpe: empty file");

        String missing = dir.resolve("missing.bpe").toString();
        assertContains(assertThrows(DataException.class, () -> BpeTokenizer.load(missing)),
                "BPE tokenizer file not found: " + missing);

        Path binary = write("binary.bpe", new byte[] {(byte) 0xff, (byte) 0xfe, 0});
        assertContains(assertThrows(DataException.class, () -> BpeTokenizer.load(binary.toString())),
                "binary.bpe: not a BPE tokenizer file (not UTF-8 text)");
    }

    @Test
    void malformedLinesWithAValidChecksumAreNamed() throws IOException {
        Path bad = withChecksum("bad.bpe", "fedlora-bpe 1\npattern " + PreTokenizer.PATTERN
                + "\nmerges 2\n104 117\nx y\nspecial <|endoftext|>\nspecial <|pad|>\n");
        assertContains(assertThrows(DataException.class, () -> BpeTokenizer.load(bad.toString())),
                "bad.bpe: malformed line 5: expected two token ids 'LEFT RIGHT', found 'x y'");

        Path ahead = withChecksum("ahead.bpe", "fedlora-bpe 1\npattern " + PreTokenizer.PATTERN
                + "\nmerges 2\n104 117\n257 1\nspecial <|endoftext|>\nspecial <|pad|>\n");
        assertContains(assertThrows(DataException.class, () -> BpeTokenizer.load(ahead.toString())),
                "ahead.bpe: line 5: merge 1 refers to token 257, but only tokens 0..256 exist before it");

        Path count = withChecksum("count.bpe", "fedlora-bpe 1\npattern " + PreTokenizer.PATTERN
                + "\nmerges 3\n104 117\nspecial <|endoftext|>\nspecial <|pad|>\n");
        assertContains(assertThrows(DataException.class, () -> BpeTokenizer.load(count.toString())),
                "count.bpe: line 3 says 3 merges, but the file holds 1 lines");

        Path special = withChecksum("special.bpe", "fedlora-bpe 1\npattern " + PreTokenizer.PATTERN
                + "\nmerges 0\nspecial <|eos|>\nspecial <|pad|>\n");
        assertContains(assertThrows(DataException.class, () -> BpeTokenizer.load(special.toString())),
                "special.bpe: malformed line 4: expected 'special <|endoftext|>', found 'special <|eos|>'");

        Path pattern = withChecksum("pattern.bpe", "fedlora-bpe 1\npattern (\nmerges 0\nspecial <|endoftext|>\nspecial <|pad|>\n");
        assertContains(assertThrows(DataException.class, () -> BpeTokenizer.load(pattern.toString())),
                "pattern.bpe: line 2: the pattern does not compile");

        Path good = withChecksum("good.bpe", "fedlora-bpe 1\npattern " + PreTokenizer.PATTERN
                + "\nmerges 1\n104 117\nspecial <|endoftext|>\nspecial <|pad|>\n");
        assertArrayEquals(new int[] {256, 'g'}, BpeTokenizer.load(good.toString()).encode("hug"));
    }

    private Path withChecksum(String name, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        String sha;
        try {
            sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        return write(name, (body + "sha256 " + sha + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private static int indexOf(byte[] bytes, String what) {
        String s = new String(bytes, StandardCharsets.ISO_8859_1);
        int at = s.indexOf(what);
        assertTrue(at >= 0, what);
        return at;
    }
}
