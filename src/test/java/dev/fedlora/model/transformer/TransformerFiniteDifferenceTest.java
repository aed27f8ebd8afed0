package dev.fedlora.model.transformer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.kernel.OpenBlasGemm;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The float model's gradients against finite differences of its own float loss: the token and
 * position embeddings and the tied output projection's share of the token embedding (full
 * mode), every LoRA factor, and the classification head.
 */
class TransformerFiniteDifferenceTest {
    private static final float H = 1e-2f;
    private static final double TOLERANCE = 5e-3;

    private final TransformerBase base = Fixtures.randomBase(Fixtures.TINY, 51, 0.3);
    private final Transformer model = new Transformer(base, new OpenBlasGemm());
    private final int[][] tokens = {{1, 4, 9, 4, 16, 2}, {7, 1, 22, 3, 3, 0}};

    @Test
    void embeddingsAndTiedOutputProjectionInFullMode() {
        TransformerWorkspace ws = model.workspace(2, 6, null);
        TransformerBase grad = TransformerBase.zeros(base.config());
        model.lmForwardBackward(ws, tokens, null, null, grad);
        float[] e = base.tensor("embed.token"), ge = grad.tensor("embed.token");
        int d = base.config().dModel();
        int present = 4, absent = 11; // 11 is never an input: its row's gradient is the output projection's alone
        assertTrue(Arrays.stream(tokens).flatMapToInt(Arrays::stream).noneMatch(t -> t == absent));
        for (int token : new int[] {present, absent}) {
            float[] row = Arrays.copyOfRange(ge, token * d, (token + 1) * d);
            checkRow(e, row, token * d, () -> model.lmLoss(ws, tokens, null), "embed.token row " + token);
        }
        FiniteDifferences.check(base.tensor("embed.position"), grad.tensor("embed.position"), 48, H,
                () -> model.lmLoss(ws, tokens, null), TOLERANCE, "embed.position");
        FiniteDifferences.check(base.tensor("ln_f.gain"), grad.tensor("ln_f.gain"), 8, H,
                () -> model.lmLoss(ws, tokens, null), TOLERANCE, "ln_f.gain");
        FiniteDifferences.check(base.tensor("layers.0.mlp.up.weight"), grad.tensor("layers.0.mlp.up.weight"), 16, H,
                () -> model.lmLoss(ws, tokens, null), TOLERANCE, "layers.0.mlp.up.weight");
    }

    /** The finite differences of one slice of {@code param}, against the slice's analytic gradient. */
    private static void checkRow(float[] param, float[] analytic, int from, java.util.function.DoubleSupplier loss,
                                 String what) {
        double scale = 0, worst = 0;
        for (float v : analytic) scale = Math.max(scale, Math.abs(v));
        for (int j = 0; j < analytic.length; j++) {
            worst = Math.max(worst, Math.abs(FiniteDifferences.numeric(param, from + j, H, loss) - analytic[j]));
        }
        if (!(scale > 0 && worst <= TOLERANCE * scale)) {
            throw new AssertionError(what + ": relative error " + worst / scale);
        }
    }

    @Test
    void everyLoraFactorInLanguageModelMode() {
        TransformerLora lora = Fixtures.randomLora(base, base.linearNames(), 2, 0.8f, 0, 52);
        TransformerLora grad = lora.zerosLike();
        TransformerWorkspace ws = model.workspace(2, 6, lora);
        model.lmForwardBackward(ws, tokens, lora, grad, null);
        for (String t : lora.targets()) {
            FiniteDifferences.check(lora.a(t), grad.a(t), 6, H, () -> model.lmLoss(ws, tokens, lora), TOLERANCE, t + " A");
            FiniteDifferences.check(lora.b(t), grad.b(t), 6, H, () -> model.lmLoss(ws, tokens, lora), TOLERANCE, t + " B");
        }
    }

    @Test
    void headAndFactorsInClassificationMode() {
        int[] labels = {2, 0};
        TransformerLora lora = Fixtures.randomLora(base, base.defaultTargets(), 2, 0.8f, 3, 53);
        TransformerLora grad = lora.zerosLike();
        TransformerWorkspace ws = model.workspace(2, 6, lora);
        model.classifyForwardBackward(ws, tokens, labels, lora, grad, null);
        for (String name : lora.denseNames()) {
            FiniteDifferences.check(lora.dense(name), grad.dense(name), 24, H,
                    () -> model.classifyLoss(ws, tokens, labels, lora), TOLERANCE, name);
        }
        for (String t : List.of("layers.0.attn.q", "layers.1.attn.v")) {
            FiniteDifferences.check(lora.a(t), grad.a(t), 6, H, () -> model.classifyLoss(ws, tokens, labels, lora),
                    TOLERANCE, t + " A");
            FiniteDifferences.check(lora.b(t), grad.b(t), 6, H, () -> model.classifyLoss(ws, tokens, labels, lora),
                    TOLERANCE, t + " B");
        }
    }
}
