package dev.fedlora.model.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TransformerConfigTest {
    @Test
    void validConfigAndHeadWidth() {
        TransformerConfig c = new TransformerConfig(50257, 1024, 768, 12, 12, 3072);
        assertEquals(64, c.headDim());
        assertEquals(4, Fixtures.TINY.headDim());
    }

    @Test
    void eachFieldIsNamedWithTheValueFound() {
        assertEquals("vocabSize must be >= 1, found 0", message(0, 6, 8, 2, 2, 16));
        assertEquals("contextLength must be >= 1, found -1", message(23, -1, 8, 2, 2, 16));
        assertEquals("dModel must be >= 1, found 0", message(23, 6, 0, 2, 2, 16));
        assertEquals("heads must be >= 1, found 0", message(23, 6, 8, 0, 2, 16));
        assertEquals("layers must be >= 1, found 0", message(23, 6, 8, 2, 0, 16));
        assertEquals("dFF must be >= 1, found 0", message(23, 6, 8, 2, 2, 0));
        assertEquals("dModel must be divisible by heads, found dModel=100 heads=3", message(23, 6, 100, 3, 2, 16));
        assertEquals("vocabSize * dModel must fit in one array (< 2^31 values), found 4294967296",
                message(1 << 20, 6, 1 << 12, 1, 1, 16));
    }

    private static String message(int vocab, int context, int d, int heads, int layers, int dFF) {
        return assertThrows(IllegalArgumentException.class,
                () -> new TransformerConfig(vocab, context, d, heads, layers, dFF)).getMessage();
    }
}
