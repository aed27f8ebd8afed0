package dev.fedlora.privacy;

import java.util.Arrays;
import org.apache.commons.math3.special.Erf;

/**
 * Rényi differential privacy of the sampled Gaussian mechanism (Mironov, Talwar and Zhang, "Rényi
 * Differential Privacy of the Sampled Gaussian Mechanism", 2019): each record (here: each client) is
 * in a round's sample with probability {@code q}, the summed contributions have L2 sensitivity 1
 * and get Gaussian noise of standard deviation {@code sigma} (the noise multiplier). The RDP at
 * order {@code alpha} is {@code log(A_alpha) / (alpha - 1)} with {@code A_alpha} the binomial sum of
 * Section 3.3 for integer orders and the two-sided erfc series of Section 3.3 for fractional ones;
 * {@code q = 1} is the Gaussian mechanism's closed form {@code alpha / (2 sigma^2)}. RDP composes by
 * addition, so {@code T} rounds have {@code T} times the RDP of one.
 *
 * <p>Conversion to (epsilon, delta) takes the minimum over the orders of Balle et al., "Hypothesis
 * Testing Interpretations and Renyi Differential Privacy" (AISTATS 2020), Theorem 21:
 * {@code eps = rdp + log((alpha - 1) / alpha) - (log(delta) + log(alpha)) / (alpha - 1)}, the one
 * Opacus and Google's {@code dp_accounting} use; it is below the classic
 * {@code rdp + log(1 / delta) / (alpha - 1)} (Mironov 2017, Proposition 3) at every order.
 */
public final class RdpAccountant {
    /** The orders searched: 1.1 to 10.9 in steps of 0.1, 11 to 63, and 128, 256, 512 (as {@code dp_accounting}). */
    private static final double[] DEFAULT_ORDERS = orders();

    /** The largest noise multiplier {@link #noiseMultiplierFor} tries. */
    static final double MAX_NOISE_MULTIPLIER = 1e6;

    /** A bound on the fractional-order series, which converges long before it for any sane input. */
    private static final int MAX_SERIES_TERMS = 1_000_000;

    private RdpAccountant() {}

    /** A copy of the orders searched by default: 1.1 to 10.9 in steps of 0.1, 11 to 63, and 128, 256, 512. */
    public static double[] defaultOrders() {
        return Arrays.copyOf(DEFAULT_ORDERS, DEFAULT_ORDERS.length);
    }

    private static double[] orders() {
        double[] orders = new double[99 + 53 + 3];
        int k = 0;
        for (int x = 1; x < 100; x++) orders[k++] = 1 + x / 10.0;
        for (int a = 11; a < 64; a++) orders[k++] = a;
        orders[k++] = 128;
        orders[k++] = 256;
        orders[k] = 512;
        return orders;
    }

    /**
     * The RDP at {@code order} of one round of the sampled Gaussian mechanism.
     *
     * @param q the sampling probability, in [0, 1]
     * @param sigma the noise multiplier (noise standard deviation over the sensitivity), >= 0
     * @param order the Rényi order, > 1 (may be infinite)
     * @return the RDP, possibly infinite (no noise, or an infinite order)
     * @throws IllegalArgumentException for a parameter out of range
     */
    public static double rdp(double q, double sigma, double order) {
        if (!(q >= 0 && q <= 1)) throw new IllegalArgumentException("sampling probability must be in [0, 1], found " + q);
        if (!(sigma >= 0)) throw new IllegalArgumentException("noise multiplier must be >= 0, found " + sigma);
        if (!(order > 1)) throw new IllegalArgumentException("Rényi order must be > 1, found " + order);
        if (q == 0) return 0;
        if (sigma == 0) return Double.POSITIVE_INFINITY;
        if (q == 1) return order / (2 * sigma * sigma);
        if (Double.isInfinite(order)) return Double.POSITIVE_INFINITY;
        double logA = order == Math.rint(order) && order < Integer.MAX_VALUE
                ? logAInteger(q, sigma, (int) order)
                : logAFractional(q, sigma, order);
        return logA / (order - 1);
    }

    /** The RDP at each of {@code orders} of {@code rounds} composed rounds. */
    public static double[] rdp(double q, double sigma, int rounds, double[] orders) {
        double[] out = new double[orders.length];
        for (int i = 0; i < orders.length; i++) out[i] = rounds == 0 ? 0 : rounds * rdp(q, sigma, orders[i]);
        return out;
    }

    /**
     * The smallest epsilon over the orders (Balle et al. 2020, Theorem 21) for which RDP {@code rdp}
     * at {@code orders} gives (epsilon, delta)-DP; 0 for no privacy loss, infinite when every order's
     * RDP is infinite.
     *
     * @throws IllegalArgumentException unless delta is in (0, 1) and the arrays have the same length
     */
    public static double epsilon(double[] orders, double[] rdp, double delta) {
        if (!(delta > 0 && delta < 1)) throw new IllegalArgumentException("delta must be in (0, 1), found " + delta);
        if (orders.length != rdp.length) {
            throw new IllegalArgumentException(orders.length + " orders but " + rdp.length + " RDP values");
        }
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < orders.length; i++) {
            double a = orders[i];
            double r = rdp[i];
            if (r == 0) return 0;
            if (!(a > 1)) continue;
            double eps = r + Math.log1p(-1 / a) - (Math.log(delta) + Math.log(a)) / (a - 1);
            if (eps < best) best = eps;  // NaN (an order too close to 1) never wins
        }
        return Math.max(0, best);
    }

    /** The classic conversion {@code min_alpha rdp + log(1 / delta) / (alpha - 1)} (Mironov 2017), for comparison. */
    public static double classicEpsilon(double[] orders, double[] rdp, double delta) {
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < orders.length; i++) best = Math.min(best, rdp[i] + Math.log(1 / delta) / (orders[i] - 1));
        return Math.max(0, best);
    }

    /** Epsilon after {@code rounds} rounds at {@code delta}, over {@link #defaultOrders()}. */
    public static double epsilon(double q, double sigma, int rounds, double delta) {
        return epsilon(DEFAULT_ORDERS, rdp(q, sigma, rounds, DEFAULT_ORDERS), delta);
    }

    /**
     * The smallest noise multiplier (to a relative precision of 1e-6) whose epsilon after
     * {@code rounds} rounds at {@code delta} is at most {@code targetEpsilon}, by doubling and then
     * bisection over {@link #epsilon(double, double, int, double)} at the default orders, which falls as the noise grows.
     *
     * @throws IllegalArgumentException if even {@link #MAX_NOISE_MULTIPLIER} does not meet the target
     */
    public static double noiseMultiplierFor(double targetEpsilon, double q, int rounds, double delta) {
        if (!(targetEpsilon > 0)) throw new IllegalArgumentException("target epsilon must be > 0, found " + targetEpsilon);
        double low = 0;
        double high = 1;
        while (epsilon(q, high, rounds, delta) > targetEpsilon) {
            low = high;
            high *= 2;
            if (high > MAX_NOISE_MULTIPLIER) {
                throw new IllegalArgumentException("epsilon " + targetEpsilon + " at delta " + delta + " after " + rounds
                        + " rounds at sampling probability " + q + " needs a noise multiplier above " + MAX_NOISE_MULTIPLIER);
            }
        }
        while (high - low > 1e-6 * high) {
            double mid = (low + high) / 2;
            if (epsilon(q, mid, rounds, delta) <= targetEpsilon) high = mid;
            else low = mid;
        }
        return high;
    }

    /** {@code log(A_alpha)} for integer alpha: {@code log sum_i C(alpha, i) q^i (1-q)^(alpha-i) exp((i^2 - i) / (2 sigma^2))}. */
    private static double logAInteger(double q, double sigma, int alpha) {
        double logA = Double.NEGATIVE_INFINITY;
        double logBinom = 0;
        double logQ = Math.log(q);
        double log1mQ = Math.log1p(-q);
        for (int i = 0; i <= alpha; i++) {
            if (i > 0) logBinom += Math.log(alpha - i + 1) - Math.log(i);
            double term = logBinom + i * logQ + (alpha - i) * log1mQ + ((double) i * i - i) / (2 * sigma * sigma);
            logA = logAdd(logA, term);
        }
        return logA;
    }

    /**
     * {@code log(A_alpha)} for fractional alpha: the integrals over {@code (-inf, z0]} and
     * {@code [z0, inf)}, {@code z0 = sigma^2 log(1/q - 1) + 1/2}, as series in the generalized binomial
     * coefficients, summed until both terms fall below {@code exp(-30)}.
     */
    private static double logAFractional(double q, double sigma, double alpha) {
        double logA0 = Double.NEGATIVE_INFINITY;
        double logA1 = Double.NEGATIVE_INFINITY;
        double z0 = sigma * sigma * Math.log(1 / q - 1) + 0.5;
        double logQ = Math.log(q);
        double log1mQ = Math.log1p(-q);
        double logCoef = 0;
        boolean positive = true;
        for (int i = 0; ; i++) {
            if (i > MAX_SERIES_TERMS) {
                throw new IllegalStateException("the RDP series at order " + alpha + ", q " + q + ", noise " + sigma
                        + " did not converge in " + MAX_SERIES_TERMS + " terms");
            }
            if (i > 0) {
                double factor = (alpha - i + 1) / i;
                logCoef += Math.log(Math.abs(factor));
                if (factor < 0) positive = !positive;
            }
            double j = alpha - i;
            double logT0 = logCoef + i * logQ + j * log1mQ;
            double logT1 = logCoef + j * logQ + i * log1mQ;
            double logE0 = Math.log(0.5) + logErfc((i - z0) / (Math.sqrt(2) * sigma));
            double logE1 = Math.log(0.5) + logErfc((z0 - j) / (Math.sqrt(2) * sigma));
            double logS0 = logT0 + ((double) i * i - i) / (2 * sigma * sigma) + logE0;
            double logS1 = logT1 + (j * j - j) / (2 * sigma * sigma) + logE1;
            if (positive) {
                logA0 = logAdd(logA0, logS0);
                logA1 = logAdd(logA1, logS1);
            } else {
                logA0 = logSub(logA0, logS0);
                logA1 = logSub(logA1, logS1);
            }
            if (Math.max(logS0, logS1) < -30) break;
        }
        return logAdd(logA0, logA1);
    }

    /** {@code log(erfc(x))}, accurate in the far tail, where erfc underflows, by its asymptotic series. */
    static double logErfc(double x) {
        if (x <= 20) return Math.log(Erf.erfc(x));
        double x2 = x * x;
        return -Math.log(Math.PI) / 2 - Math.log(x) - x2 - 0.5 / x2 + 0.625 / (x2 * x2) - 37.0 / 24.0 / (x2 * x2 * x2)
                + 353.0 / 64.0 / (x2 * x2 * x2 * x2);
    }

    private static double logAdd(double logX, double logY) {
        double a = Math.min(logX, logY);
        double b = Math.max(logX, logY);
        if (a == Double.NEGATIVE_INFINITY) return b;
        return Math.log1p(Math.exp(a - b)) + b;
    }

    /** {@code log(exp(logX) - exp(logY))}; the series keeps {@code logX >= logY}. */
    private static double logSub(double logX, double logY) {
        if (logY == Double.NEGATIVE_INFINITY) return logX;
        if (logX <= logY) return Double.NEGATIVE_INFINITY;
        double d = Math.expm1(logX - logY);
        return d == Double.POSITIVE_INFINITY ? logX : Math.log(d) + logY;
    }
}
