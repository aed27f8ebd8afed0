package dev.fedlora.model.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.model.TargetPatterns;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The transformer's linear names and PEFT-style target selection on them. */
class TransformerTargetsTest {
    private final TransformerBase base = TransformerBase.zeros(Fixtures.TINY);

    @Test
    void linearNamesInTheirDocumentedOrderWithWidths() {
        assertEquals(List.of("layers.0.attn.q", "layers.0.attn.k", "layers.0.attn.v", "layers.0.attn.o",
                "layers.0.mlp.up", "layers.0.mlp.down", "layers.1.attn.q", "layers.1.attn.k", "layers.1.attn.v",
                "layers.1.attn.o", "layers.1.mlp.up", "layers.1.mlp.down"), base.linearNames());
        assertEquals(8, base.in("layers.1.mlp.up"));
        assertEquals(16, base.out("layers.1.mlp.up"));
        assertEquals(16, base.in("layers.0.mlp.down"));
        assertEquals(8, base.out("layers.0.mlp.down"));
        assertEquals(8 * 8, base.weight("layers.0.attn.o").length);
        assertEquals(16, base.bias("layers.1.mlp.up").length);
        assertEquals("layers.0.mlp.up.weight", base.tensorNames().get(2 + 12));
    }

    @Test
    void defaultIsQueryAndValueOfEveryLayer() {
        assertEquals(List.of("layers.0.attn.q", "layers.0.attn.v", "layers.1.attn.q", "layers.1.attn.v"),
                base.defaultTargets());
    }

    @Test
    void exactNamesAndDotSuffixes() {
        assertEquals(List.of("layers.1.attn.q"), base.targets(List.of("layers.1.attn.q")));
        assertEquals(List.of("layers.0.attn.q", "layers.1.attn.q"), base.targets(List.of("q")));
        assertEquals(List.of("layers.1.attn.q"), base.targets(List.of("1.attn.q")));
        assertEquals(List.of("layers.0.mlp.up", "layers.0.mlp.down", "layers.1.mlp.up", "layers.1.mlp.down"),
                base.targets(List.of("down", "mlp.up")));
        assertTrue(TargetPatterns.matches("attn.q", "layers.3.attn.q"));
        assertFalse(TargetPatterns.matches("attn", "layers.3.attn.q"), "a middle part is not a suffix");
        assertFalse(TargetPatterns.matches("tn.q", "layers.3.attn.q"), "a suffix must start at a dot");
        assertFalse(TargetPatterns.matches(".q", "layers.3.attn.q"));
    }

    @Test
    void regularExpressionsMatchWholeNames() {
        assertEquals(List.of("layers.1.attn.q", "layers.1.attn.v"), base.targets(List.of("layers\\.1\\.attn\\.(q|v)")));
        assertEquals(List.of("layers.0.attn.o", "layers.0.mlp.down"), base.targets(List.of("layers.0.(attn.o|mlp.down)")));
        assertFalse(TargetPatterns.matches("attn\\.(q|v)", "layers.0.attn.q"), "a regex must match the whole name");
    }

    @Test
    void resultIsInModelOrderWithoutRepeats() {
        assertEquals(List.of("layers.0.attn.q", "layers.0.attn.v", "layers.1.attn.q", "layers.1.attn.v"),
                base.targets(List.of("v", "q", "attn.q", "layers.0.attn.q")));
    }

    @Test
    void badPatternsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> base.targets(List.of("q", "attn.query")));
        assertEquals("lora.targets entry 'attn.query' matches no module; the model has: " + String.join(", ",
                base.linearNames()), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> base.targets(List.of("layers.(q")))
                .getMessage().startsWith("lora.targets entry 'layers.(q' is not a valid regular expression: "));
        assertEquals("lora.targets is empty; give at least one, e.g. [attn.q, attn.v]",
                assertThrows(IllegalArgumentException.class, () -> base.targets(List.of())).getMessage());
        assertEquals("lora.targets entry #1 is blank, in [q,  ]",
                assertThrows(IllegalArgumentException.class, () -> base.targets(List.of("q", " "))).getMessage());
        String unknown = assertThrows(IllegalArgumentException.class, () -> base.in("layers.2.attn.q")).getMessage();
        assertTrue(unknown.startsWith("no linear layer named 'layers.2.attn.q'; linear layers are [layers.0.attn.q"),
                unknown);
    }
}
