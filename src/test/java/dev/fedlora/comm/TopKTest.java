package dev.fedlora.comm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopKTest {

    @Test
    void countIsTheCeilingOfDensityTimesN() {
        assertEquals(2, TopK.count(0.5, 3)); // ceil(1.5)
        assertEquals(3, TopK.count(0.15, 16)); // ceil(2.4)
        assertEquals(3, TopK.count(0.3, 10)); // 0.3 * 10 = 3.0000000000000004 in double, still 3
        assertEquals(1, TopK.count(0.01, 10)); // ceil(0.1)
        assertEquals(7, TopK.count(1, 7));
        assertEquals(300_000, TopK.count(0.3, 1_000_000));
        assertEquals(0, TopK.count(0.5, 0));
    }

    @Test
    void tinyPositiveDensityStillKeepsOneEntry() {
        // ceil(1e-10 * 5) = ceil(5e-10) = 1: a density in (0, 1] never selects nothing
        assertEquals(1, TopK.count(1e-10, 5));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, -0.5, 1.5, Double.NaN})
    void densityOutsideZeroOneThrowsWithTheValue(double density) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TopK.count(density, 10));
        assertEquals("density must be in (0, 1], found " + density, e.getMessage());
    }

    @Test
    void maskKeepsTheLargestMagnitudesWhateverTheirSign() {
        float[] v = {-5, 4, 1, -0.5f, 4.5f};

        assertArrayEquals(new boolean[] {true, false, false, false, false}, TopK.mask(v, 1));
        assertArrayEquals(new boolean[] {true, false, false, false, true}, TopK.mask(v, 2));
        assertArrayEquals(new boolean[] {true, true, false, false, true}, TopK.mask(v, 3));
    }

    @Test
    void tiesAreBrokenTowardsTheLowerIndex() {
        float[] v = {1, -3, 3, 2, -3, 0.5f}; // three entries of magnitude 3 at 1, 2, 4

        assertArrayEquals(new boolean[] {false, true, true, false, false, false}, TopK.mask(v, 2));
        assertArrayEquals(new boolean[] {false, true, true, false, true, false}, TopK.mask(v, 3));
        assertArrayEquals(new boolean[] {false, true, true, true, true, false}, TopK.mask(v, 4));
        // all equal: the first k
        assertArrayEquals(new boolean[] {true, true, false, false}, TopK.mask(new float[] {-2, 2, 2, -2}, 2));
    }

    @Test
    void kOfZeroOrAtLeastNSelectsNothingOrEverything() {
        float[] v = {3, 0, -1};

        assertArrayEquals(new boolean[] {false, false, false}, TopK.mask(v, 0));
        assertArrayEquals(new boolean[] {true, true, true}, TopK.mask(v, 3));
        assertArrayEquals(new boolean[] {true, true, true}, TopK.mask(v, 5));
    }

    @Test
    void maskSelectsExactlyKAndNoUnselectedEntryBeatsASelectedOne() {
        SplittableRandom rng = new SplittableRandom(8);
        float[] v = new float[200];
        for (int i = 0; i < v.length; i++) v[i] = rng.nextInt(-6, 7); // many ties, zeros included

        for (int k = 0; k <= v.length; k++) {
            boolean[] mask = TopK.mask(v, k);
            int selected = 0;
            float smallestKept = Float.POSITIVE_INFINITY;
            int lastKeptAtSmallest = -1;
            for (int i = 0; i < v.length; i++) {
                if (!mask[i]) continue;
                selected++;
                float m = Math.abs(v[i]);
                if (m < smallestKept) smallestKept = m;
            }
            for (int i = 0; i < v.length; i++) if (mask[i] && Math.abs(v[i]) == smallestKept) lastKeptAtSmallest = i;
            assertEquals(k, selected, "selected for k = " + k);
            for (int i = 0; i < v.length; i++) {
                if (mask[i]) continue;
                float m = Math.abs(v[i]);
                assertTrue(m <= smallestKept, "k = " + k + ": dropped |v[" + i + "]| = " + m + " > kept " + smallestKept);
                if (m == smallestKept) {
                    assertTrue(i > lastKeptAtSmallest, "k = " + k + ": tie at " + i + " dropped before a kept higher index");
                }
            }
        }
    }
}
