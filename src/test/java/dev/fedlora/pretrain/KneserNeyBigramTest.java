package dev.fedlora.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KneserNeyBigramTest {
    /**
     * Stream 0 1 0 2 0 1, vocabulary 4 (token 3 never occurs), D = 0.5. Pairs: (0 1) twice, (1 0),
     * (0 2), (2 0); N1+(. .) = 4; c(0) = 3, N1+(0 .) = 2; c(1) = 1, N1+(1 .) = 1; preceding types:
     * N1+(. 0) = 2, N1+(. 1) = N1+(. 2) = 1, N1+(. 3) = 0, so 3 tokens have a predecessor.
     * <pre>
     *   P1(w) = max(N1+(. w) - 0.5, 0) / 4 + 0.5 * 3 / 4 / 4:   P1(0) = 0.46875, P1(1) = P1(2) = 0.21875, P1(3) = 0.09375
     *   P(1 | 0) = (2 - 0.5) / 3 + 0.5 * 2 / 3 * P1(1) = 0.5 + 0.21875 / 3
     *   P(0 | 1) = (1 - 0.5) / 1 + 0.5 * 1 * P1(0)     = 0.734375
     *   P(3 | 0) = 0 + 0.5 * 2 / 3 * P1(3)             = 0.03125
     *   P(w | 3) = P1(w)                               (3 never starts a pair)
     * </pre>
     */
    private static final int[] STREAM = {0, 1, 0, 2, 0, 1};

    @Test
    void probabilitiesWorkedByHand() {
        KneserNeyBigram m = KneserNeyBigram.fit(STREAM, 4, 0.5);
        assertEquals(0.46875, m.continuation(0), 1e-15);
        assertEquals(0.21875, m.continuation(1), 1e-15);
        assertEquals(0.09375, m.continuation(3), 1e-15);
        assertEquals(0.5 + 0.21875 / 3, m.probability(0, 1), 1e-15);
        assertEquals(0.734375, m.probability(1, 0), 1e-15);
        assertEquals(0.03125, m.probability(0, 3), 1e-15);
        assertEquals(0.46875, m.probability(3, 0), 1e-15);
        assertEquals(2, m.count(0, 1));
        assertEquals(0, m.count(1, 2));
    }

    @Test
    void perplexityOfAHandExample() {
        KneserNeyBigram m = KneserNeyBigram.fit(STREAM, 4, 0.5);
        int[] seq = {0, 1, 0, 3};
        double product = (0.5 + 0.21875 / 3) * 0.734375 * 0.03125;
        double perplexity = Math.pow(product, -1.0 / 3);
        assertEquals(Math.log(perplexity), m.meanNll(seq), 1e-12);
        assertEquals(perplexity, HeldOutPerplexity.bigram(m, seq).perplexity(), 1e-9);
        assertEquals(3, HeldOutPerplexity.bigram(m, seq).predictions());
    }

    @Test
    void everyContextSumsToOneOverTheVocabulary() {
        SplittableRandom rng = new SplittableRandom(7);
        int vocab = 60;
        int[] stream = new int[2000];
        for (int i = 0; i < stream.length; i++) stream[i] = rng.nextInt(40) + (rng.nextInt(10) == 0 ? rng.nextInt(10) : 0);
        for (double d : new double[] {0.1, 0.5, 0.9}) {
            KneserNeyBigram m = KneserNeyBigram.fit(stream, vocab, d);
            double lower = 0;
            for (int w = 0; w < vocab; w++) lower += m.continuation(w);
            assertEquals(1.0, lower, 1e-12);
            for (int v = 0; v < vocab; v++) { // 40 .. 59 never occur: unseen contexts too
                double sum = 0;
                for (int w = 0; w < vocab; w++) {
                    double p = m.probability(v, w);
                    assertTrue(p > 0, "P(" + w + " | " + v + ") = " + p);
                    sum += p;
                }
                assertEquals(1.0, sum, 1e-12, "context " + v);
            }
        }
    }

    @Test
    void theDiscountIsTheGridValueBestOnTheStreamsTail() {
        SplittableRandom rng = new SplittableRandom(3);
        int[] stream = new int[3000];
        for (int i = 1; i < stream.length; i++) stream[i] = rng.nextInt(4) == 0 ? rng.nextInt(30) : (stream[i - 1] + 1) % 30;
        double[] grid = {0.1, 0.3, 0.5, 0.7, 0.9};
        double chosen = KneserNeyBigram.chooseDiscount(stream, 30, 0.1, grid);
        int cut = 2700;
        int[] tail = java.util.Arrays.copyOfRange(stream, cut - 1, stream.length);
        double best = Double.POSITIVE_INFINITY, arg = -1;
        for (double d : grid) {
            double nll = KneserNeyBigram.fit(stream, 0, cut, 30, d).meanNll(tail);
            if (nll < best) {
                best = nll;
                arg = d;
            }
        }
        assertEquals(arg, chosen);
    }

    @Test
    void refusesBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> KneserNeyBigram.fit(STREAM, 4, 1.0));
        assertThrows(IllegalArgumentException.class, () -> KneserNeyBigram.fit(STREAM, 2, 0.5));
        assertThrows(IllegalArgumentException.class, () -> KneserNeyBigram.fit(new int[] {1}, 4, 0.5));
    }
}
