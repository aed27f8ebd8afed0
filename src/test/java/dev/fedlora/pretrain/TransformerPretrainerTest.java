package dev.fedlora.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.kernel.OpenBlasGemm;
import dev.fedlora.model.transformer.TransformerBase;
import dev.fedlora.model.transformer.TransformerConfig;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Determinism of pretraining: the same seed gives bit-identical weights, on 2 threads twice and on
 * 1 thread versus 2 (the shards, not the threads, fix the summation order); a different shard count
 * gives the same weights up to float rounding only.
 */
class TransformerPretrainerTest {
    static final TransformerConfig TINY = new TransformerConfig(23, 8, 8, 2, 2, 16);

    /** Tokens that mostly count up mod 20, with noise: learnable from the previous token. */
    static int[] stream(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] s = new int[n];
        for (int i = 1; i < n; i++) s[i] = rng.nextInt(8) == 0 ? rng.nextInt(23) : (s[i - 1] + 1) % 20;
        return s;
    }

    static TransformerPretrainer.Settings settings(int steps, int shards, int threads) {
        return new TransformerPretrainer.Settings(steps, 8, shards, threads, 1e-2, 1e-3, Math.min(2, steps),
                new AdamW.Hyper(0.9, 0.95, 1e-8, 0.1), 1.0, 42);
    }

    static TransformerBase train(int steps, int shards, int threads) {
        try (TransformerPretrainer p = new TransformerPretrainer(TINY, stream(3000, 1), settings(steps, shards, threads),
                OpenBlasGemm::new)) {
            for (int s = 0; s < steps; s++) p.step();
            assertEquals((long) steps * 8 * 8, p.tokensSeen());
            return p.base();
        }
    }

    static void assertBitIdentical(TransformerBase a, TransformerBase b) {
        for (String t : a.tensorNames()) assertArrayEquals(a.tensor(t), b.tensor(t), t); // compares float bits
    }

    static double maxDifference(TransformerBase a, TransformerBase b) {
        double max = 0;
        for (String t : a.tensorNames()) {
            float[] x = a.tensor(t), y = b.tensor(t);
            for (int i = 0; i < x.length; i++) max = Math.max(max, Math.abs(x[i] - y[i]));
        }
        return max;
    }

    @Test
    void twoRunsOnTwoThreadsGiveBitIdenticalWeights() {
        TransformerBase a = train(6, 2, 2);
        TransformerBase b = train(6, 2, 2);
        assertBitIdentical(a, b);
        assertTrue(maxDifference(a, TransformerBase.init(TINY, 0)) > 0);
    }

    @Test
    void oneThreadGivesTheSameBitsAsTwo() {
        assertBitIdentical(train(6, 2, 1), train(6, 2, 2));
        assertBitIdentical(train(3, 4, 3), train(3, 4, 1));
    }

    @Test
    void anotherShardCountChangesOnlyTheRounding() {
        TransformerBase one = train(1, 1, 1);
        TransformerBase two = train(1, 2, 2);
        // one step moves each weight by about lr = 1e-2; the shards' sums differ in the last bits
        assertTrue(maxDifference(one, two) < 1e-5, "max difference " + maxDifference(one, two));
    }

    @Test
    void theLossFalls() {
        try (TransformerPretrainer p = new TransformerPretrainer(TINY, stream(3000, 1), settings(150, 2, 2),
                OpenBlasGemm::new)) {
            double first = 0, last = 0;
            for (int s = 0; s < 150; s++) {
                double loss = p.step().loss();
                if (s < 10) first += loss / 10;
                if (s >= 140) last += loss / 10;
            }
            assertTrue(first > Math.log(23) - 0.3, "starts near uniform, found " + first);
            assertTrue(last < first - 1.0, "loss " + first + " -> " + last);
            assertThrows(IllegalStateException.class, p::step);
        }
    }

    @Test
    void decayGoesToEmbeddingsAndLinearWeightsOnly() {
        assertTrue(TransformerPretrainer.decays("embed.token"));
        assertTrue(TransformerPretrainer.decays("embed.position"));
        assertTrue(TransformerPretrainer.decays("layers.0.attn.q.weight"));
        assertTrue(TransformerPretrainer.decays("layers.1.mlp.down.weight"));
        assertFalse(TransformerPretrainer.decays("layers.0.attn.q.bias"));
        assertFalse(TransformerPretrainer.decays("layers.0.ln1.gain"));
        assertFalse(TransformerPretrainer.decays("layers.0.ln2.bias"));
        assertFalse(TransformerPretrainer.decays("ln_f.gain"));
    }

    @Test
    void badSettingsAndStreamsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TransformerPretrainer.Settings(10, 6, 4, 1, 1e-3, 1e-4, 0,
                new AdamW.Hyper(0.9, 0.95, 1e-8, 0.1), 1.0, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new TransformerPretrainer(TINY, new int[] {1, 2, 3}, settings(1, 1, 1), OpenBlasGemm::new));
        assertThrows(IllegalArgumentException.class,
                () -> new TransformerPretrainer(TINY, new int[] {1, 2, 3, 4, 5, 6, 7, 99}, settings(1, 1, 1),
                        OpenBlasGemm::new));
    }
}
