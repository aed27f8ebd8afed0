package dev.fedlora;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Assertions that two float arrays hold the same bits, value for value (no tolerance, -0 differs from 0). */
public final class Bitwise {
    private Bitwise() {}

    public static void assertSameBits(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                throw new AssertionError(what + ": value " + i + " is " + actual[i] + ", expected " + expected[i]);
            }
        }
    }

    /** True when the arrays differ in at least one value's bits. */
    public static boolean differ(float[] a, float[] b) {
        if (a.length != b.length) return true;
        for (int i = 0; i < a.length; i++) {
            if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) return true;
        }
        return false;
    }
}
