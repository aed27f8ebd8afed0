package dev.fedlora.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class PassagesTest {
    /** One token per character, the code point; 1000 is end of text, 1001 padding. */
    private static final Tokenizer CHARS = new Tokenizer() {
        @Override
        public int[] encode(String text) {
            return text.codePoints().toArray();
        }

        @Override
        public String decode(int[] ids) {
            return new String(ids, 0, ids.length);
        }

        @Override
        public int vocabSize() {
            return 1002;
        }

        @Override
        public int endOfTextId() {
            return 1000;
        }

        @Override
        public int padId() {
            return 1001;
        }
    };

    private static final List<TextDocument> DOCS = List.of(
            new TextDocument("a", "news", 0, null, "abcdefg"),
            new TextDocument("b", "humor", 14, null, "xy"),
            new TextDocument("c", "lore", 5, null, "123456"));

    @Test
    void cutsConsecutivePassagesAndDropsEachTail() {
        List<Passage> passages = Passages.cut(DOCS, CHARS, 3);

        assertEquals(List.of(
                new Passage("a", 0, 0, "abc".codePoints().toArray()),
                new Passage("a", 0, 3, "def".codePoints().toArray()),
                new Passage("c", 5, 0, "123".codePoints().toArray()),
                new Passage("c", 5, 3, "456".codePoints().toArray())), passages);
    }

    @Test
    void streamSeparatesDocumentsWithEndOfText() {
        int[] expected = "abcdefg\u03e8xy\u03e8123456\u03e8".codePoints().toArray();
        assertArrayEquals(expected, Passages.stream(DOCS, CHARS));
    }

    @Test
    void worksWithTheBpeTokenizer() {
        BpeTokenizer bpe = BpeTokenizer.train(new PreTokenizer().count(BpeTokenizerTest.SAMPLE), 400, 1);
        List<TextDocument> docs = List.of(new TextDocument("s", "x", 1, null, BpeTokenizerTest.SAMPLE.get(0)));
        int[] all = bpe.encode(BpeTokenizerTest.SAMPLE.get(0));

        List<Passage> passages = Passages.cut(docs, bpe, 4);

        assertEquals(all.length / 4, passages.size());
        for (Passage p : passages) assertArrayEquals(java.util.Arrays.copyOfRange(all, p.start(), p.start() + 4), p.tokens());
    }

    @Test
    void lengthMustBePositive() {
        assertEquals("passage length must be >= 1, found 0",
                assertThrows(IllegalArgumentException.class, () -> Passages.cut(DOCS, CHARS, 0)).getMessage());
    }
}
