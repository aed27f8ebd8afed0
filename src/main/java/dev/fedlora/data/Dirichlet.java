package dev.fedlora.data;

import java.util.SplittableRandom;

/**
 * Dirichlet(alpha, ..., alpha) draws as normalised Gamma(alpha, 1) draws: with g_i ~ Gamma(alpha, 1)
 * independent, pi_i = g_i / sum_j g_j. The draws are kept as logarithms, because for alpha well below
 * 1 most g_i underflow to zero in plain doubles.
 */
final class Dirichlet {
    private Dirichlet() {}

    /** log g_1 .. log g_k, independent Gamma(alpha, 1) draws; normalising exp of them gives pi. */
    static double[] logGammas(double alpha, int k, SplittableRandom rng) {
        double[] logs = new double[k];
        for (int i = 0; i < k; i++) logs[i] = logGamma(alpha, rng);
        return logs;
    }

    /**
     * The logarithm of one Gamma(a, 1) draw.
     *
     * <p>For a >= 1, Marsaglia and Tsang, "A simple method for generating gamma variables", ACM
     * TOMS 26(3), 2000: with d = a - 1/3, c = 1 / sqrt(9d), x ~ N(0, 1) and v = (1 + c x)^3, accept
     * d v if v > 0 and log U < x^2 / 2 + d - d v + d log v (a cheap squeeze accepts first when
     * U < 1 - 0.0331 x^4). For a < 1 the same paper's boost: Gamma(a) = Gamma(a + 1) U^(1/a).
     */
    static double logGamma(double a, SplittableRandom rng) {
        if (a < 1) {
            return logGamma(a + 1, rng) + Math.log(openUniform(rng)) / a;
        }
        double d = a - 1.0 / 3.0;
        double c = 1.0 / Math.sqrt(9 * d);
        while (true) {
            double x = standardNormal(rng);
            double cube = 1 + c * x;
            if (cube <= 0) continue;
            double v = cube * cube * cube;
            double u = openUniform(rng);
            double x2 = x * x;
            if (u < 1 - 0.0331 * x2 * x2 || Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) {
                return Math.log(d) + Math.log(v);
            }
        }
    }

    /** Box–Muller: sqrt(-2 log U1) cos(2 pi U2). */
    private static double standardNormal(SplittableRandom rng) {
        return Math.sqrt(-2 * Math.log(openUniform(rng))) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    /** Uniform on (0, 1], safe to take the logarithm of. */
    private static double openUniform(SplittableRandom rng) {
        return 1.0 - rng.nextDouble();
    }
}
