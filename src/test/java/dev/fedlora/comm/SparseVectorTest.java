package dev.fedlora.comm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SparseVectorTest {

    @Test
    void gatherKeepsTheMaskedEntriesInIndexOrder() {
        float[] dense = {5, -1, 0, 2.5f, 7};

        SparseVector v = SparseVector.gather(dense, new boolean[] {false, true, false, true, true});

        assertEquals(5, v.length());
        assertEquals(3, v.nnz());
        assertArrayEquals(new int[] {1, 3, 4}, v.indices());
        assertArrayEquals(new float[] {-1, 2.5f, 7}, v.values());
    }

    @Test
    void addToScalesOnlyTheNonzeros() {
        SparseVector v = new SparseVector(4, new int[] {0, 2}, new float[] {1, -2});
        double[] acc = {10, 10, 10, 10};

        v.addTo(acc, 3);

        assertArrayEquals(new double[] {13, 10, 4, 10}, acc);
    }

    @Test
    void normAndFiniteness() {
        assertEquals(5.0, new SparseVector(9, new int[] {1, 8}, new float[] {3, -4}).norm(), 1e-12);
        assertTrue(new SparseVector(2, new int[] {0}, new float[] {1}).isFinite());
        assertFalse(new SparseVector(2, new int[] {0}, new float[] {Float.NaN}).isFinite());
    }

    @Test
    void indicesAndValuesMustPair() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SparseVector(3, new int[] {0, 1}, new float[] {1}));
        assertEquals("2 indices but 1 values", e.getMessage());
    }
}
