package dev.fedlora.pretrain;

import java.util.Arrays;

/**
 * An interpolated Kneser–Ney bigram model over token ids (Chen and Goodman, "An Empirical Study of
 * Smoothing Techniques for Language Modeling", 1998, eq. 26 and the lowest order interpolated with
 * the uniform distribution), with one absolute discount {@code D} in (0, 1) at both orders:
 * <pre>
 *   P(w | v) = max(c(v w) - D, 0) / c(v)  +  D N1+(v .) / c(v) * P1(w)          if c(v) &gt; 0
 *            = P1(w)                                                             otherwise
 *   P1(w)    = max(N1+(. w) - D, 0) / N1+(. .)  +  D |{w : N1+(. w) &gt; 0}| / N1+(. .) / V
 * </pre>
 * where {@code c(v w)} counts the adjacent pair in the training stream, {@code c(v)} the pairs that
 * start with {@code v}, {@code N1+(v .)} the distinct tokens that follow {@code v},
 * {@code N1+(. w)} the distinct tokens that precede {@code w}, {@code N1+(. .)} the distinct pairs
 * and {@code V} the vocabulary size. Both lines sum to 1 over the vocabulary for every {@code v}, and
 * every probability is positive.
 */
public final class KneserNeyBigram {
    private final int vocab;
    private final double discount;
    private final long[] pairKeys;   // prev * vocab + next, sorted, distinct
    private final int[] pairCounts;
    private final long[] contextCount;
    private final int[] followerTypes;
    private final int[] precedingTypes;
    private final long pairTypes;
    private final int continuationTypes;

    private KneserNeyBigram(int vocab, double discount, long[] keys, int[] counts) {
        this.vocab = vocab;
        this.discount = discount;
        this.pairKeys = keys;
        this.pairCounts = counts;
        contextCount = new long[vocab];
        followerTypes = new int[vocab];
        precedingTypes = new int[vocab];
        for (int i = 0; i < keys.length; i++) {
            int prev = (int) (keys[i] / vocab), next = (int) (keys[i] % vocab);
            contextCount[prev] += counts[i];
            followerTypes[prev]++;
            precedingTypes[next]++;
        }
        pairTypes = keys.length;
        int types = 0;
        for (int n : precedingTypes) if (n > 0) types++;
        continuationTypes = types;
    }

    /**
     * Counts the adjacent pairs {@code (stream[i-1], stream[i])} of {@code stream[from, to)}.
     * @throws IllegalArgumentException if the range holds no pair, the discount is outside (0, 1) or a
     *     token is outside [0, vocab)
     */
    public static KneserNeyBigram fit(int[] stream, int from, int to, int vocab, double discount) {
        if (!(discount > 0 && discount < 1)) throw new IllegalArgumentException("discount must be in (0, 1), found " + discount);
        if (vocab < 1) throw new IllegalArgumentException("vocab must be >= 1, found " + vocab);
        if (from < 0 || to > stream.length || to - from < 2) {
            throw new IllegalArgumentException("need at least two tokens in [" + from + ", " + to + ") of a stream of "
                    + stream.length);
        }
        long[] keys = new long[to - from - 1];
        for (int i = from + 1; i < to; i++) keys[i - from - 1] = (long) check(stream[i - 1], vocab) * vocab + check(stream[i], vocab);
        Arrays.sort(keys);
        int distinct = 0;
        int[] counts = new int[keys.length];
        for (int i = 0; i < keys.length; i++) {
            if (distinct > 0 && keys[distinct - 1] == keys[i]) {
                counts[distinct - 1]++;
            } else {
                keys[distinct] = keys[i];
                counts[distinct++] = 1;
            }
        }
        return new KneserNeyBigram(vocab, discount, Arrays.copyOf(keys, distinct), Arrays.copyOf(counts, distinct));
    }

    /** {@link #fit(int[], int, int, int, double)} on the whole stream. */
    public static KneserNeyBigram fit(int[] stream, int vocab, double discount) {
        return fit(stream, 0, stream.length, vocab, discount);
    }

    /**
     * The discount of {@code grid} with the lowest {@link #meanNll} on the last {@code tuneShare} of
     * the stream, the model fitted on the rest (ties: the earlier grid value). Only the stream it is
     * given is read: pass training tokens, never test tokens.
     */
    public static double chooseDiscount(int[] stream, int vocab, double tuneShare, double[] grid) {
        if (!(tuneShare > 0 && tuneShare < 1)) throw new IllegalArgumentException("tuneShare must be in (0, 1), found " + tuneShare);
        if (grid.length == 0) throw new IllegalArgumentException("the discount grid is empty");
        int cut = (int) Math.round(stream.length * (1 - tuneShare));
        int[] tune = Arrays.copyOfRange(stream, cut - 1, stream.length); // its first target is stream[cut]
        double best = Double.NaN, bestNll = Double.POSITIVE_INFINITY;
        for (double d : grid) {
            double nll = fit(stream, 0, cut, vocab, d).meanNll(tune);
            if (nll < bestNll) {
                bestNll = nll;
                best = d;
            }
        }
        return best;
    }

    public int vocab() {
        return vocab;
    }

    public double discount() {
        return discount;
    }

    /** {@code c(prev next)}. */
    public int count(int prev, int next) {
        int i = Arrays.binarySearch(pairKeys, (long) prev * vocab + next);
        return i >= 0 ? pairCounts[i] : 0;
    }

    /** {@code P1(w)}, the lower order. */
    public double continuation(int next) {
        check(next, vocab);
        return (Math.max(precedingTypes[next] - discount, 0) + discount * continuationTypes / (double) vocab) / pairTypes;
    }

    /** {@code P(next | prev)}. */
    public double probability(int prev, int next) {
        check(prev, vocab);
        double lower = continuation(next);
        long c = contextCount[prev];
        if (c == 0) return lower;
        return (Math.max(count(prev, next) - discount, 0) + discount * followerTypes[prev] * lower) / c;
    }

    /**
     * The mean negative log-likelihood (nats) of {@code seq[i]} given {@code seq[i-1]} over
     * {@code i = 1 .. seq.length - 1}; its exp is the perplexity.
     */
    public double meanNll(int[] seq) {
        if (seq.length < 2) throw new IllegalArgumentException("need at least two tokens, found " + seq.length);
        double sum = 0;
        for (int i = 1; i < seq.length; i++) sum -= Math.log(probability(seq[i - 1], seq[i]));
        return sum / (seq.length - 1);
    }

    private static int check(int token, int vocab) {
        if (token < 0 || token >= vocab) throw new IllegalArgumentException("token " + token + " is outside [0, " + vocab + ")");
        return token;
    }
}
