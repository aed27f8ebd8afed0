package dev.fedlora.model.transformer;

/**
 * {@code exp} in float for {@code model.fast-math}: Cody–Waite range reduction
 * {@code x = n ln2 + r}, {@code |r| <= ln2 / 2}, a degree-6 polynomial for {@code e^r} (the
 * coefficients of Cephes' {@code expf}) and {@code 2^n} put together in the exponent bits. Branch
 * free and made of float arithmetic only, so a loop over it compiles to a few dozen instructions
 * per value instead of a call into the JDK's double-precision libm. Relative error below
 * {@code 3e-7} (about 2.5 float ulps) on {@code [-87, 88]} ({@code FastExpTest}). The argument is
 * clamped to {@code [-87.336, 88]}: far below, the result is {@code 1.2e-38} instead of a
 * subnormal or zero (softmax terms that small do not change a float sum); far above,
 * {@code exp(88) = 1.7e38} instead of infinity.
 */
final class FastExp {
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    static final float MIN_ARG = -87.33654f;
    static final float MAX_ARG = 88f;

    private FastExp() {}

    static float exp(float x) {
        float c = Math.min(Math.max(x, MIN_ARG), MAX_ARG);
        float n = (float) Math.floor(c * LOG2E + 0.5f);
        float r = c - n * LN2_HI;
        r -= n * LN2_LO;
        float p = 1.9875691500e-4f;
        p = p * r + 1.3981999507e-3f;
        p = p * r + 8.3334519073e-3f;
        p = p * r + 4.1665795894e-2f;
        p = p * r + 1.6666665459e-1f;
        p = p * r + 5.0000001201e-1f;
        float er = p * r * r + r + 1f;
        return er * Float.intBitsToFloat(((int) n + 127) << 23);
    }
}
