package dev.fedlora.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LoraParamsTest {
    private static final AdapterLayout SHAPE = dev.fedlora.model.MlpModel.layoutOf(3, 2, 2);

    @Test
    void distanceAndNormSpanEveryTensor() {
        Adapter p = new Adapter(SHAPE, 1);
        Adapter q = p.copy();
        q.a(0)[2] = 3f;      // A
        q.dense("head.bias")[1] = -4f;    // head bias, the last tensor
        assertEquals(5.0, q.distanceTo(p), 1e-12);
        assertEquals(5.0, q.norm(), 1e-12);
        q.b(0)[1] = Float.NaN;
        assertTrue(Double.isNaN(q.distanceTo(p)));
    }

    @Test
    void distanceNeedsTheSameRank() {
        assertThrows(IllegalArgumentException.class, () -> new Adapter(SHAPE, 1).distanceTo(new Adapter(SHAPE, 2)));
    }
}
