package dev.fedlora.model.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TransformerLoraTest {
    private final TransformerBase base = TransformerBase.zeros(Fixtures.TINY);

    @Test
    void factorShapesHeadAndOrder() {
        TransformerLora lora = TransformerLora.zeros(base, List.of("layers.1.mlp.down", "layers.0.attn.q"), 3, 0.25f, 5);
        assertEquals(List.of("layers.0.attn.q", "layers.1.mlp.down"), lora.targets(), "model order");
        assertEquals(3 * 8, lora.a("layers.0.attn.q").length);
        assertEquals(8 * 3, lora.b("layers.0.attn.q").length);
        assertEquals(3 * 16, lora.a("layers.1.mlp.down").length);
        assertEquals(16, lora.in("layers.1.mlp.down"));
        assertEquals(List.of("head.weight", "head.bias"), lora.denseNames());
        assertArrayEquals(new int[] {5, 8}, lora.denseShape("head.weight"));
        assertEquals(5, lora.dense("head.bias").length);
        assertEquals(3 * 8 + 8 * 3 + 3 * 16 + 8 * 3 + 5 * 8 + 5, lora.size());
        assertEquals(0.25f, lora.scale());
        assertTrue(TransformerLora.zeros(base, List.of(), 1, 1f, 0).denseNames().isEmpty());
    }

    @Test
    void initDrawsAOnlyAndIsSeeded() {
        TransformerLora a = TransformerLora.init(base, base.defaultTargets(), 2, 1f, 3, new SplittableRandom(81));
        TransformerLora b = TransformerLora.init(base, base.defaultTargets(), 2, 1f, 3, new SplittableRandom(81));
        for (String t : a.targets()) {
            Fixtures.assertSameBits(a.a(t), b.a(t), t);
            for (float v : a.b(t)) assertEquals(0f, v, t + " B starts at zero");
        }
        assertFalse(java.util.Arrays.equals(a.a("layers.0.attn.q"), a.a("layers.0.attn.v")));
        for (float v : a.dense("head.bias")) assertEquals(0f, v);
        TransformerLora copy = a.copy();
        assertTrue(copy.sameShape(a));
        copy.a("layers.0.attn.q")[0] += 1f;
        assertFalse(copy.a("layers.0.attn.q")[0] == a.a("layers.0.attn.q")[0], "a copy is deep");
    }

    @Test
    void badArgumentsAreNamed() {
        assertEquals("rank must be >= 1, found 0", message(() ->
                TransformerLora.zeros(base, base.defaultTargets(), 0, 1f, 0)));
        assertEquals("classes must be 0 (no head) or >= 2, found 1", message(() ->
                TransformerLora.zeros(base, base.defaultTargets(), 2, 1f, 1)));
        assertEquals("scale must be finite, found NaN", message(() ->
                TransformerLora.zeros(base, base.defaultTargets(), 2, Float.NaN, 0)));
        assertTrue(message(() -> TransformerLora.zeros(base, List.of("attn.q"), 2, 1f, 0))
                .startsWith("no linear layer named 'attn.q'"), "targets are names, not patterns");
        assertEquals("target layers.0.attn.q is listed twice in [layers.0.attn.q, layers.0.attn.q]", message(() ->
                TransformerLora.zeros(base, List.of("layers.0.attn.q", "layers.0.attn.q"), 2, 1f, 0)));
        TransformerLora lora = TransformerLora.zeros(base, base.defaultTargets(), 2, 1f, 0);
        assertTrue(message(() -> lora.a("layers.0.attn.k")).startsWith("layers.0.attn.k is not a target"));
        assertEquals("no dense tensor named 'head.weight'; dense tensors are []", message(() -> lora.dense("head.weight")));
    }

    private static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }
}
