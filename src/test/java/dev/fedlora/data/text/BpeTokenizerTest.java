package dev.fedlora.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BpeTokenizerTest {
    private static final Map<String, Long> HUG_COUNTS = Map.of("hug", 10L, "pug", 5L, "pun", 12L, "bun", 4L, "hugs", 5L);

    /** The hand-computed merges of BpeTrainerTest: ug 256, un 257, hug 258, pun 259, hugs 260, pug 261, bun 262. */
    private final BpeTokenizer hug = BpeTokenizer.train(HUG_COUNTS, 300, 1);

    static final List<String> SAMPLE = List.of(
            "The Fulton County Grand Jury said Friday an investigation of Atlanta's recent primary election"
                    + " produced `` no evidence '' that any irregularities took place .",
            "The jury further said in term-end presentments that the City Executive Committee , which had"
                    + " over-all charge of the election , `` deserves the praise and thanks of the City of Atlanta ''.",
            "Fellow-Citizens of the Senate and House of Representatives: In meeting you again I feel much"
                    + " satisfaction in being able to repeat my congratulations on the favorable prospects.",
            "Café, naïve, façade — “quotes” 1961; 3.14 and 1/2 of 10,000 people. 中文 😀 tabs\tand\nlines\r\n");

    @Test
    void vocabularyIsBytesThenMergesThenSpecialTokens() {
        assertEquals(7, hug.merges());
        assertEquals(256 + 7 + 2, hug.vocabSize());
        assertEquals(263, hug.endOfTextId());
        assertEquals(264, hug.padId());
        assertEquals("hugs", new String(hug.tokenBytes(260)));
        assertEquals("<|endoftext|>", hug.decode(new int[] {hug.endOfTextId()}));
        assertEquals("<|pad|>", hug.decode(new int[] {hug.padId()}));
    }

    @Test
    void encodeReproducesTheTrainingSegmentation() {
        assertArrayEquals(new int[] {260}, hug.encode("hugs"));
        assertArrayEquals(new int[] {261}, hug.encode("pug"));
        assertArrayEquals(new int[] {262}, hug.encode("bun"));
        // one piece h u g p u n: ug, then un, then hug, then pun
        assertArrayEquals(new int[] {258, 259}, hug.encode("hugpun"));
        // " hug" is its own piece: the space byte stays, "hug" merges
        assertArrayEquals(new int[] {258, ' ', 258, '!'}, hug.encode("hug hug!"));
    }

    @Test
    void specialTokenNamesInTextAreEncodedAsText() {
        int[] ids = hug.encode("a<|endoftext|>b");
        for (int id : ids) assertTrue(id < hug.endOfTextId());
        assertEquals("a<|endoftext|>b", hug.decode(ids));
    }

    @Test
    void roundTripsRandomUnicodeText() {
        BpeTokenizer trained = BpeTokenizer.train(new PreTokenizer().count(SAMPLE), 600, 1);
        SplittableRandom rng = new SplittableRandom(7);
        for (int t = 0; t < 1000; t++) {
            String text = RandomText.of(rng, 60);
            assertEquals(text, trained.decode(trained.encode(text)), () -> "round trip of " + RandomText.escape(text));
            assertEquals(text, hug.decode(hug.encode(text)));
        }
        for (String s : SAMPLE) assertEquals(s, trained.decode(trained.encode(s)));
        assertEquals("", trained.decode(trained.encode("")));
    }

    @Test
    void mergesShortenTrainingText() {
        BpeTokenizer trained = BpeTokenizer.train(new PreTokenizer().count(SAMPLE), 600, 1);
        int bytes = String.join("", SAMPLE).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        int tokens = 0;
        for (String s : SAMPLE) tokens += trained.encode(s).length;
        assertTrue(tokens < bytes / 3, tokens + " tokens for " + bytes + " bytes");
    }

    @Test
    void trainingTwiceGivesTheSameFile() {
        Map<String, Long> counts = new PreTokenizer().count(SAMPLE);
        Map<String, Long> shuffled = new HashMap<>(counts);

        byte[] first = BpeTokenizerFile.format(BpeTokenizer.train(counts, 500));
        byte[] second = BpeTokenizerFile.format(BpeTokenizer.train(shuffled, 500));

        assertArrayEquals(first, second);
    }

    @Test
    void unpairedSurrogateAndBadIdsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> hug.encode("ok\ud800x"));
        assertTrue(e.getMessage().contains("unpaired surrogate U+D800 at index 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> hug.encode("\udc00"));
        assertThrows(IllegalArgumentException.class, () -> hug.decode(new int[] {265}));
        assertThrows(IllegalArgumentException.class, () -> hug.decode(new int[] {-1}));
        assertThrows(IllegalArgumentException.class, () -> BpeTokenizer.train(HUG_COUNTS, 257));
        assertThrows(IllegalArgumentException.class, () -> new BpeTokenizer(PreTokenizer.PATTERN, new int[][] {{1, 256}}));
    }

    @Test
    void survivesJavaSerialisationForABroadcast() throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(hug);
        }
        BpeTokenizer copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (BpeTokenizer) in.readObject();
        }
        assertArrayEquals(hug.encode("hugs pun"), copy.encode("hugs pun"));
        assertArrayEquals(BpeTokenizerFile.format(hug), BpeTokenizerFile.format(copy));
    }
}
