package dev.fedlora.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.fedlora.kernel.OpenBlasGemm;
import dev.fedlora.model.transformer.Transformer;
import dev.fedlora.model.transformer.TransformerBase;
import dev.fedlora.model.transformer.TransformerConfig;
import dev.fedlora.model.transformer.TransformerWorkspace;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HeldOutPerplexityTest {
    static final TransformerConfig CONFIG = new TransformerConfig(11, 5, 8, 2, 1, 16);

    /**
     * Every token after the first is predicted once, from the tokens before it in its window:
     * token i (i >= 1) lies in window k = (i - 1) / (T - 1), which starts at k (T - 1). Here n = 15,
     * T = 5: windows start at 0, 4, 8, 12 (the last three tokens long), 14 predictions.
     */
    @Test
    void everyTokenAfterTheFirstIsPredictedFromItsWindow() {
        TransformerBase base = TransformerBase.init(CONFIG, 5);
        int[] seq = new int[15];
        SplittableRandom rng = new SplittableRandom(2);
        for (int i = 0; i < seq.length; i++) seq[i] = rng.nextInt(11);

        int T = CONFIG.contextLength();
        Transformer model = new Transformer(base, new OpenBlasGemm());
        double expected = 0;
        for (int i = 1; i < seq.length; i++) {
            int start = (i - 1) / (T - 1) * (T - 1);
            int length = i - start + 1; // the context s[start .. i-1] and the target s[i]
            int[][] tokens = {java.util.Arrays.copyOfRange(seq, start, i + 1)};
            TransformerWorkspace ws = model.workspace(1, length, null);
            model.lmLoss(ws, tokens, null);
            float[] logits = ws.logits();
            int row = (length - 2) * 11;
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int j = 0; j < 11; j++) max = Math.max(max, logits[row + j]);
            for (int j = 0; j < 11; j++) sum += Math.exp(logits[row + j] - max);
            expected += Math.log(sum) + max - logits[row + seq[i]];
        }

        HeldOutPerplexity.Loss loss = HeldOutPerplexity.transformer(base, seq, 2, 2, OpenBlasGemm::new);
        assertEquals(14, loss.predictions());
        assertEquals(expected, loss.nllSum(), 1e-4 * Math.abs(expected));
        assertEquals(Math.exp(expected / 14), loss.perplexity(), 1e-3);
    }

    @Test
    void theThreadCountDoesNotChangeTheBits() {
        TransformerBase base = TransformerBase.init(CONFIG, 6);
        int[] seq = new int[203];
        SplittableRandom rng = new SplittableRandom(9);
        for (int i = 0; i < seq.length; i++) seq[i] = rng.nextInt(11);
        HeldOutPerplexity.Loss one = HeldOutPerplexity.transformer(base, seq, 3, 1, OpenBlasGemm::new);
        HeldOutPerplexity.Loss three = HeldOutPerplexity.transformer(base, seq, 3, 3, OpenBlasGemm::new);
        assertEquals(202, one.predictions());
        assertEquals(Double.doubleToLongBits(one.nllSum()), Double.doubleToLongBits(three.nllSum()));
    }

    @Test
    void aSequenceOfOneTokenPredictsNothing() {
        assertThrows(IllegalArgumentException.class,
                () -> HeldOutPerplexity.transformer(TransformerBase.init(CONFIG, 1), new int[] {3}, 2, 1, OpenBlasGemm::new));
    }
}
