package dev.fedlora.data.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PreTokenizerTest {
    private final PreTokenizer pre = new PreTokenizer();

    @Test
    void wordsKeepTheirLeadingSpaceNumbersAndPunctuationRunsStandApart() {
        assertEquals(List.of("The", " jury", "'s", " 1961", " term", "-", "end", " ``", " report", " ''..."),
                pre.split("The jury's 1961 term-end `` report ''..."));
    }

    @Test
    void theLastSpaceBeforeAWordGoesWithTheWord() {
        assertEquals(List.of("a", "  ", " b", "\n", "\n", "c", " \t "), pre.split("a   b\n\nc \t "));
    }

    @Test
    void piecesConcatenateBackToAnyText() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int t = 0; t < 300; t++) {
            String text = RandomText.of(rng, 40);
            assertEquals(text, String.join("", pre.split(text)), () -> "pieces of " + RandomText.escape(text));
        }
    }

    @Test
    void countsEveryPiece() {
        assertEquals(java.util.Map.of("a", 1L, " a", 2L, " b", 1L, ".", 1L), pre.count(List.of("a a.", " a b")));
    }
}
