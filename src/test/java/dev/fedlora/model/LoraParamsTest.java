package dev.fedlora.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LoraParamsTest {
    private static final ModelShape SHAPE = new ModelShape(3, 2, 2);

    @Test
    void distanceAndNormSpanEveryTensor() {
        LoraParams p = new LoraParams(SHAPE, 1);
        LoraParams q = p.copy();
        q.a[0][2] = 3f;      // A
        q.headB[1] = -4f;    // head bias, the last tensor
        assertEquals(5.0, q.distanceTo(p), 1e-12);
        assertEquals(5.0, q.norm(), 1e-12);
        q.b[0][1] = Float.NaN;
        assertTrue(Double.isNaN(q.distanceTo(p)));
    }

    @Test
    void distanceNeedsTheSameRank() {
        assertThrows(IllegalArgumentException.class, () -> new LoraParams(SHAPE, 1).distanceTo(new LoraParams(SHAPE, 2)));
    }
}
