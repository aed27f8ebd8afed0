package dev.fedlora.model.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.data.text.TokenExamples;
import dev.fedlora.model.Adapter;
import dev.fedlora.model.LoraInit;
import dev.fedlora.model.LoraTarget;
import dev.fedlora.model.TrainableNetwork;
import dev.fedlora.kernel.OpenBlasGemm;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The transformer behind the model seam: the adapter's named targets and head reach the right
 * arrays (finite differences of the loss through {@link Adapter} values against the network's
 * gradients), PEFT's default targets, the language-model task's predictions, and the checks on data.
 */
class TransformerNetworkTest {
    private static final TransformerConfig CONFIG = new TransformerConfig(23, 6, 8, 2, 2, 16);
    private final TransformerBase base = TransformerBase.init(CONFIG, 11);
    private final SplittableRandom rng = new SplittableRandom(5);

    private TokenExamples examples(int n, int classes) {
        int[] tokens = new int[n * 6];
        for (int i = 0; i < tokens.length; i++) tokens[i] = rng.nextInt(23);
        int[] labels = null;
        if (classes > 0) {
            labels = new int[n];
            for (int i = 0; i < n; i++) labels[i] = i % classes;
        }
        return new TokenExamples("tiny", 6, tokens, labels, classes, null, List.of(), 23, "test");
    }

    private static Adapter randomised(Adapter p, SplittableRandom rng) {
        for (LoraTarget t : p.layout.targets()) {
            float[] b = p.b(t);
            for (int i = 0; i < b.length; i++) b[i] = (float) (0.3 * Adapter.gaussian(rng));
        }
        return p;
    }

    @Test
    void defaultTargetsAreQueryAndValueOfEveryLayer() {
        TransformerModel m = TransformerModel.of(base, 3, List.of(), TransformerModel.CLASSIFIER, LoraInit.GAUSSIAN);
        assertEquals(List.of("layers.0.attn.q", "layers.0.attn.v", "layers.1.attn.q", "layers.1.attn.v"),
                m.layout().targetNames());
        assertEquals(List.of("layers.1.mlp.up", "layers.1.mlp.down"),
                TransformerModel.of(base, 3, List.of("layers\\.1\\.mlp\\..*"), TransformerModel.CLASSIFIER, LoraInit.GAUSSIAN)
                        .layout().targetNames());
        assertEquals(3 * 8 + 3, m.layout().denseValues(), "head.weight 3 x 8 and head.bias");
        String e = assertThrows(IllegalArgumentException.class,
                () -> TransformerModel.of(base, 0, List.of(), TransformerModel.CLASSIFIER, LoraInit.GAUSSIAN)).getMessage();
        assertTrue(e.contains("trains no head"), e);
    }

    /** d loss / d value by central differences through the adapter, against the network's gradient. */
    @Test
    void gradientsThroughTheAdapterMatchFiniteDifferences() {
        TransformerModel m = TransformerModel.of(base, 3, List.of("attn.q", "mlp.down"), TransformerModel.CLASSIFIER,
                LoraInit.GAUSSIAN);
        TokenExamples data = examples(4, 3);
        int[] idx = {0, 1, 2, 3};
        Adapter p = randomised(Adapter.init(m.layout(), 2, rng), rng);
        TransformerNetwork net = m.network(2, 1.5f);
        net.load(p);
        net.loadBatch(data, idx, 0, 4);
        net.forwardBackward(4);
        float[] g = net.gradients().flatten();
        float[] flat = p.flatten();
        double h = 1e-2;
        int checked = 0;
        for (int i = 0; i < flat.length; i += 7) {
            double plus = lossWith(m, flat, i, h, data, idx);
            double minus = lossWith(m, flat, i, -h, data, idx);
            double numeric = (plus - minus) / (2 * h);
            assertEquals(numeric, g[i], 2e-3 + 0.05 * Math.abs(numeric), "value " + i);
            checked++;
        }
        assertTrue(checked > 10);
    }

    private static double lossWith(TransformerModel m, float[] flat, int i, double h, TokenExamples data, int[] idx) {
        float[] v = flat.clone();
        v[i] += (float) h;
        TransformerNetwork net = m.network(2, 1.5f);
        net.load(Adapter.unflatten(m.layout(), 2, v));
        net.loadBatch(data, idx, 0, idx.length);
        return net.evaluate(idx.length)[0] / idx.length;
    }

    @Test
    void aLanguageModelPredictsEveryNextToken() {
        TransformerModel m = TransformerModel.of(base, 0, List.of(), List.of(), LoraInit.KAIMING_UNIFORM);
        TokenExamples data = examples(3, 0);
        m.checkData(data);
        TransformerNetwork net = m.network(4, 1f);
        net.load(Adapter.init(m.layout(), 4, rng));
        net.loadBatch(data, new int[] {0, 1, 2}, 0, 3);
        assertEquals(3 * 5, net.predictions(3));
        double summed = net.forwardBackward(3);
        double[] eval = net.evaluate(3);
        assertEquals(summed, eval[0], 1e-9 * Math.abs(summed), "B = 0: the loss the base gives");
        assertEquals(Math.log(23), summed / 15, 0.5, "a fresh base is near uniform over 23 tokens");
        assertTrue(eval[1] >= 0 && eval[1] <= 15);
        float[] before = net.store().flatten();
        net.sgdStep(0.1, 0.9, true, 0);
        assertTrue(!java.util.Arrays.equals(before, net.store().flatten()), "a step moves the adapter");
    }

    @Test
    void aFrozenBKeepsItsBitsUnderMomentumAndAMoves() {
        TransformerModel m = TransformerModel.of(base, 3, List.of(), TransformerModel.CLASSIFIER, LoraInit.GAUSSIAN);
        TokenExamples data = examples(4, 3);
        Adapter start = randomised(Adapter.init(m.layout(), 2, rng), rng);
        TransformerNetwork net = m.network(2, 1.5f);
        net.load(start);
        for (int step = 0; step < 3; step++) {
            net.loadBatch(data, new int[] {0, 1, 2, 3}, 0, 4);
            net.forwardBackward(4);
            net.sgdStep(0.1, 0.9, true, false, 0);
        }
        Adapter after = net.store();
        for (LoraTarget t : m.layout().targets()) {
            dev.fedlora.Bitwise.assertSameBits(start.b(t), after.b(t), t.name() + " B");
            assertTrue(dev.fedlora.Bitwise.differ(start.a(t), after.a(t)), t.name() + " A moves");
        }
        assertTrue(dev.fedlora.Bitwise.differ(start.dense("head.weight"), after.dense("head.weight")), "the head moves");
    }

    @Test
    void dataThatDoesNotFitIsRefusedByName() {
        TransformerModel m = TransformerModel.of(base, 3, List.of(), TransformerModel.CLASSIFIER, LoraInit.GAUSSIAN);
        TokenExamples other = new TokenExamples("other", 6, new int[6], new int[1], 3, null, List.of(), 24, "x");
        String e = assertThrows(IllegalArgumentException.class, () -> m.checkData(other)).getMessage();
        assertTrue(e.contains("vocabulary of 24 tokens") && e.contains("pretrained with 23"), e);
        String classes = assertThrows(IllegalArgumentException.class, () -> m.checkData(examples(2, 4))).getMessage();
        assertTrue(classes.contains("the head has 3 classes but tiny has 4"), classes);
    }

    /**
     * Evaluation runs 32 sequences at a time with one running sum: its loss must be the loss of one
     * pass over all the sequences to the bit (published test losses were computed that way).
     */
    @Test
    void chunkedEvaluationEqualsOnePassToTheBit() {
        for (int classes : new int[] {0, 3}) {
            List<String> trainable = classes == 0 ? List.of() : TransformerModel.CLASSIFIER;
            TransformerModel m = TransformerModel.of(base, classes, List.of(), trainable, LoraInit.GAUSSIAN);
            Adapter p = randomised(Adapter.init(m.layout(), 2, new SplittableRandom(6)), rng);
            TrainableNetwork net = m.network(2, 1.5f);
            net.load(p);
            int n = 2 * TransformerNetwork.EVAL_CHUNK + 11;
            TokenExamples data = examples(n, classes);
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) idx[i] = i;
            net.loadBatch(data, idx, 0, n);
            double[] chunked = net.evaluate(n);

            TransformerLora lora = TransformerLora.zeros(base, m.targets(), 2, 1.5f, classes);
            for (String t : m.targets()) {
                System.arraycopy(p.a(t), 0, lora.a(t), 0, lora.a(t).length);
                System.arraycopy(p.b(t), 0, lora.b(t), 0, lora.b(t).length);
            }
            for (String d : lora.denseNames()) System.arraycopy(p.dense(d), 0, lora.dense(d), 0, lora.dense(d).length);
            int[][] tokens = new int[n][6];
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                data.tokens(i, tokens[i], 0);
                if (classes > 0) labels[i] = data.label(i);
            }
            Transformer one = new Transformer(base, new OpenBlasGemm());
            TransformerWorkspace ws = one.workspace(n, 6, lora);
            double mean = classes > 0 ? one.classifyLoss(ws, tokens, labels, lora) : one.lmLoss(ws, tokens, lora);
            assertEquals(mean * ws.predictions(), chunked[0], 0.0, "classes " + classes);
            assertEquals(ws.correct(), chunked[1], 0.0, "classes " + classes);
            assertEquals(ws.predictions(), net.predictions(n));
        }
    }
}
