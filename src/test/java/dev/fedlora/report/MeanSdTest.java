package dev.fedlora.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MeanSdTest {
    @Test
    void sampleSdDividesByNMinusOne() {
        // sum of squared deviations from the mean 5 is 32; 32 / 7 is the sample variance
        MeanSd s = MeanSd.of(2, 4, 4, 4, 5, 5, 7, 9);

        assertEquals(8, s.n());
        assertEquals(5.0, s.mean(), 1e-12);
        assertEquals(Math.sqrt(32.0 / 7), s.sd(), 1e-12);
        assertEquals("5.00 ± 2.14", s.format("%.2f"));
    }

    @Test
    void oneValueHasNoSdAndPrintsAlone() {
        MeanSd s = MeanSd.of(0.7179);

        assertTrue(Double.isNaN(s.sd()));
        assertEquals("0.7179", s.format("%.4f"));
    }

    @Test
    void noValueIsRefused() {
        assertThrows(IllegalArgumentException.class, MeanSd::of);
    }
}
