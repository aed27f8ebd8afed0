package dev.fedlora.model.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.kernel.OpenBlasGemm;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * What the model must do beyond matching gradients: a zero B leaves the base's outputs exact,
 * no position sees a later token, repeated steps give identical bits, steps allocate nothing,
 * plain SGD lowers the loss, and bad inputs are refused with messages that name them.
 */
class TransformerBehaviourTest {
    private final TransformerBase base = TransformerBase.init(Fixtures.TINY, 61);
    private final Transformer model = new Transformer(base, new OpenBlasGemm());
    private final int[][] tokens = Fixtures.tokens(62, 3, 6, 23);
    private final int[] labels = {0, 2, 1};

    @Test
    void withBZeroTheAdaptedModelEqualsTheBaseExactly() {
        TransformerLora lora = TransformerLora.init(base, base.linearNames(), 4, 2f, 0, new SplittableRandom(63));
        TransformerWorkspace plain = model.workspace(3, 6, null), adapted = model.workspace(3, 6, lora);
        double baseLoss = model.lmLoss(plain, tokens, null);
        double loraLoss = model.lmLoss(adapted, tokens, lora);
        assertEquals(Double.doubleToRawLongBits(baseLoss), Double.doubleToRawLongBits(loraLoss));
        Fixtures.assertSameBits(plain.logits(), adapted.logits(), "language-model logits");

        TransformerLora headOnly = TransformerLora.init(base, List.of(), 1, 2f, 3, new SplittableRandom(64));
        TransformerLora withTargets = TransformerLora.zeros(base, base.defaultTargets(), 4, 2f, 3);
        TransformerBase.fillGaussian(withTargets.a("layers.1.attn.v"), 1.0, new SplittableRandom(65));
        System.arraycopy(headOnly.dense("head.weight"), 0, withTargets.dense("head.weight"), 0, 3 * 8);
        TransformerWorkspace h = model.workspace(3, 6, headOnly), t = model.workspace(3, 6, withTargets);
        assertEquals(model.classifyLoss(h, tokens, labels, headOnly), model.classifyLoss(t, tokens, labels, withTargets));
        Fixtures.assertSameBits(h.logits(), t.logits(), "classification logits");
        Fixtures.assertSameBits(h.hidden(), t.hidden(), "hidden states");
    }

    @Test
    void changingALaterTokenChangesNoEarlierPrediction() {
        TransformerWorkspace ws = model.workspace(3, 6, null);
        model.lmLoss(ws, tokens, null);
        float[] before = ws.logits().clone();
        int[][] changed = {tokens[0].clone(), tokens[1].clone(), tokens[2].clone()};
        int later = 4, vocab = 23;
        for (int[] row : changed) row[later] = (row[later] + 5) % vocab;
        model.lmLoss(ws, changed, null);
        float[] after = ws.logits();
        for (int b = 0; b < 3; b++) {
            for (int t = 0; t < 6; t++) {
                float[] x = java.util.Arrays.copyOfRange(before, (b * 6 + t) * vocab, (b * 6 + t + 1) * vocab);
                float[] y = java.util.Arrays.copyOfRange(after, (b * 6 + t) * vocab, (b * 6 + t + 1) * vocab);
                if (t < later) Fixtures.assertSameBits(x, y, "sequence " + b + " position " + t);
                else assertTrue(!java.util.Arrays.equals(x, y), "sequence " + b + " position " + t + " should change");
            }
        }
    }

    @Test
    void sameSeedSameBitsAndOtherSeedOtherBits() {
        TransformerBase again = TransformerBase.init(Fixtures.TINY, 61);
        TransformerBase other = TransformerBase.init(Fixtures.TINY, 62);
        for (String name : base.tensorNames()) Fixtures.assertSameBits(base.tensor(name), again.tensor(name), name);
        assertTrue(!java.util.Arrays.equals(base.tensor("embed.token"), other.tensor("embed.token")));
        assertEquals(1f, base.tensor("layers.1.ln2.gain")[3]);
        assertEquals(0f, base.tensor("layers.0.attn.q.bias")[0]);
        assertEquals(0.02 / Math.sqrt(4), std(base.tensor("layers.0.mlp.down.weight")), 0.004, "residual projection");
        assertEquals(0.02, std(base.tensor("layers.0.mlp.up.weight")), 0.004, "other linears");
    }

    private static double std(float[] x) {
        double s = 0;
        for (float v : x) s += (double) v * v;
        return Math.sqrt(s / x.length);
    }

    @Test
    void repeatedStepsGiveIdenticalLossAndGradients() {
        TransformerLora lora = Fixtures.randomLora(base, base.defaultTargets(), 2, 1f, 3, 66);
        TransformerLora g1 = lora.zerosLike(), g2 = lora.zerosLike();
        TransformerBase b1 = TransformerBase.zeros(Fixtures.TINY), b2 = TransformerBase.zeros(Fixtures.TINY);
        TransformerWorkspace ws = model.workspace(3, 6, lora);
        double first = model.classifyForwardBackward(ws, tokens, labels, lora, g1, b1);
        model.lmForwardBackward(ws, tokens, lora, g2, b2); // something else in between
        Transformer fresh = new Transformer(base, new OpenBlasGemm());
        double second = fresh.classifyForwardBackward(fresh.workspace(3, 6, lora), tokens, labels, lora, g2, b2);
        double third = model.classifyForwardBackward(ws, tokens, labels, lora, g2, b2);
        assertEquals(Double.doubleToRawLongBits(first), Double.doubleToRawLongBits(second));
        assertEquals(Double.doubleToRawLongBits(first), Double.doubleToRawLongBits(third));
        for (String t : lora.targets()) {
            Fixtures.assertSameBits(g1.a(t), g2.a(t), t + " A");
            Fixtures.assertSameBits(g1.b(t), g2.b(t), t + " B");
        }
        Fixtures.assertSameBits(g1.dense("head.weight"), g2.dense("head.weight"), "head");
        for (String name : base.tensorNames()) Fixtures.assertSameBits(b1.tensor(name), b2.tensor(name), name);
    }

    @Test
    void stepsAllocateNothingOnceWarm() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        TransformerLora lora = Fixtures.randomLora(base, base.defaultTargets(), 2, 1f, 3, 67);
        TransformerLora grad = lora.zerosLike();
        TransformerBase baseGrad = TransformerBase.zeros(Fixtures.TINY);
        TransformerWorkspace ws = model.workspace(3, 6, lora);
        Runnable steps = () -> {
            model.lmForwardBackward(ws, tokens, lora, grad, null);
            model.classifyForwardBackward(ws, tokens, labels, lora, grad, null);
            model.lmForwardBackward(ws, tokens, null, null, baseGrad);
        };
        for (int i = 0; i < 200; i++) steps.run();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 50; i++) steps.run();
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        // nothing, in practice; the slack only tolerates a stray JVM-internal object
        assertTrue(allocated < 1024, "50 rounds of steps allocated " + allocated + " bytes");
    }

    @Test
    void sgdOnTheAdapterLowersTheLoss() {
        TransformerLora lora = TransformerLora.init(base, base.defaultTargets(), 4, 2f, 3, new SplittableRandom(68));
        TransformerLora grad = lora.zerosLike();
        TransformerWorkspace ws = model.workspace(3, 6, lora);
        double first = model.classifyForwardBackward(ws, tokens, labels, lora, grad, null);
        for (int step = 0; step < 30; step++) {
            sgd(lora, grad, 0.5f);
            model.classifyForwardBackward(ws, tokens, labels, lora, grad, null);
        }
        assertTrue(ws.loss() < 0.5 * first, "loss " + first + " -> " + ws.loss());
        assertEquals(3, ws.correct());
    }

    /** A minimal optimizer for the test: {@code theta -= lr * grad}. */
    private static void sgd(TransformerLora p, TransformerLora g, float lr) {
        for (String t : p.targets()) {
            axpy(p.a(t), g.a(t), -lr);
            axpy(p.b(t), g.b(t), -lr);
        }
        for (String name : p.denseNames()) axpy(p.dense(name), g.dense(name), -lr);
    }

    private static void axpy(float[] y, float[] x, float a) {
        for (int i = 0; i < y.length; i++) y[i] += a * x[i];
    }

    @Test
    void badInputsAreRefusedByName() {
        TransformerWorkspace ws = model.workspace(3, 6, null);
        assertEquals("tokens[1][2] = 23 is outside the vocabulary [0, 23)", assertThrows(IllegalArgumentException.class,
                () -> model.lmLoss(ws, new int[][] {{0, 0, 0, 0, 0, 0}, {1, 1, 23, 1, 1, 1}, {0, 0, 0, 0, 0, 0}}, null))
                .getMessage());
        assertEquals("tokens must have batch=3 rows, found 1", assertThrows(IllegalArgumentException.class,
                () -> model.lmLoss(ws, new int[][] {{1, 2, 3, 4, 5, 6}}, null)).getMessage());
        assertEquals("tokens[0] must have seqLen=6 tokens, found 2", assertThrows(IllegalArgumentException.class,
                () -> model.lmLoss(ws, new int[][] {{1, 2}, {1, 2}, {1, 2}}, null)).getMessage());
        assertEquals("seqLen must be in [1, contextLength=6], found 7", assertThrows(IllegalArgumentException.class,
                () -> model.workspace(3, 7, null)).getMessage());
        assertEquals("causal language modelling needs seqLen >= 2, found 1", assertThrows(IllegalArgumentException.class,
                () -> model.lmLoss(model.workspace(1, 1, null), new int[][] {{3}}, null)).getMessage());
        TransformerLora lora = TransformerLora.zeros(base, base.defaultTargets(), 2, 1f, 3);
        assertEquals("labels[2] = 3 is outside [0, 3)", assertThrows(IllegalArgumentException.class,
                () -> model.classifyLoss(model.workspace(3, 6, lora), tokens, new int[] {0, 1, 3}, lora)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> model.classifyLoss(ws, tokens, labels, lora))
                .getMessage().startsWith("workspace was made for targets [] at rank 0"));
        assertEquals("nothing to differentiate: loraGrad and baseGrad are both null", assertThrows(
                IllegalArgumentException.class, () -> model.lmForwardBackward(ws, tokens, null, null, null)).getMessage());
        assertEquals("classification needs an adapter with a head (classes >= 2)", assertThrows(
                IllegalArgumentException.class, () -> model.classifyLoss(ws, tokens, labels, null)).getMessage());
    }
}
