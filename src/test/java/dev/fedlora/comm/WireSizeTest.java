package dev.fedlora.comm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class WireSizeTest {

    @Test
    void denseCostsFourBytesAnEntry() {
        assertEquals(0, WireSize.dense(0));
        assertEquals(40, WireSize.dense(10));
        assertEquals(4L * 3_000_000_000L, WireSize.dense(3_000_000_000L)); // no int overflow
    }

    @Test
    void sparseUsesIndicesBelowTheBitmaskCrossover() {
        // total 1000: bitmask ceil(1000 / 8) = 125; indices 4 * 31 = 124 are cheaper
        assertEquals(4 * 31 + 124, WireSize.sparse(31, 1000));
        assertEquals(248, WireSize.sparse(31, 1000));
    }

    @Test
    void sparseUsesTheBitmaskAboveTheCrossover() {
        // indices 4 * 32 = 128 > bitmask 125
        assertEquals(128 + 125, WireSize.sparse(32, 1000));
        assertEquals(253, WireSize.sparse(32, 1000));
    }

    @Test
    void bitmaskRoundsUpToWholeBytes() {
        assertEquals(400 + 126, WireSize.sparse(100, 1001)); // ceil(1001 / 8) = 126
        assertEquals(4 + 1, WireSize.sparse(1, 1)); // one value, a 1-byte mask
        assertEquals(0, WireSize.sparse(0, 1000));
    }

    @Test
    void sparseRejectsImpossibleCounts() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WireSize.sparse(11, 10));
        assertEquals("nnz 11 outside [0, 10]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> WireSize.sparse(-1, 10));
    }

    @Test
    void cheapestPicksSparseWhenSmaller() {
        assertEquals(14, WireSize.cheapest(3, 16)); // 12 + min(12, 2) < 64
        assertEquals(3725, WireSize.cheapest(900, 1000)); // 3600 + 125 < 4000
    }

    @Test
    void cheapestPicksDenseWhenSparseIsLarger() {
        assertEquals(64, WireSize.cheapest(16, 16)); // sparse 64 + 2 = 66
        assertEquals(4000, WireSize.cheapest(990, 1000)); // sparse 3960 + 125 = 4085
        assertEquals(4000, WireSize.cheapest(1000, 1000));
    }
}
