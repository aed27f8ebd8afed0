package dev.fedlora.model.transformer;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

/**
 * The double-precision reference's analytic gradients against central finite differences of
 * its own loss, for every parameter (base, LoRA factors, head): the reference the float
 * implementation is then held to.
 */
class ReferenceTransformerTest {
    private static final double H = 1e-5;
    private static final double TOLERANCE = 1e-6;
    private static final int ENTRIES = 8;

    private final TransformerBase base = Fixtures.randomBase(Fixtures.TINY, 11, 0.3);
    private final int[][] tokens = Fixtures.tokens(12, 2, 6, 23);

    @Test
    void languageModelGradientsMatchFiniteDifferences() {
        TransformerLora lora = Fixtures.randomLora(base, List.of("layers.0.attn.q", "layers.1.attn.v",
                "layers.0.mlp.up", "layers.1.mlp.down", "layers.1.attn.o", "layers.0.attn.k"), 3, 0.7f, 0, 13);
        ReferenceTransformer ref = new ReferenceTransformer(base, lora);
        Map<String, double[]> g = ref.zeroGrads();
        ref.lm(tokens, g);
        check(ref, g, () -> ref.lm(tokens, null));
    }

    @Test
    void classificationGradientsMatchFiniteDifferences() {
        int[] labels = Fixtures.labels(14, 2, 3);
        TransformerLora lora = Fixtures.randomLora(base, List.of("layers.0.attn.v", "layers.1.attn.q"), 2, 1.3f, 3, 15);
        ReferenceTransformer ref = new ReferenceTransformer(base, lora);
        Map<String, double[]> g = ref.zeroGrads();
        ref.classify(tokens, labels, g);
        check(ref, g, () -> ref.classify(tokens, labels, null));
    }

    /**
     * Up to {@link #ENTRIES} entries of every tensor (seeded choice, always the first), each
     * difference relative to the tensor's largest analytic gradient.
     */
    private static void check(ReferenceTransformer ref, Map<String, double[]> grads, DoubleSupplier loss) {
        SplittableRandom rng = new SplittableRandom(5);
        for (Map.Entry<String, double[]> e : ref.params.entrySet()) {
            double[] p = e.getValue(), g = grads.get(e.getKey());
            double scale = 0, maxDiff = 0;
            for (double v : g) scale = Math.max(scale, Math.abs(v));
            for (int n = 0; n < Math.min(ENTRIES, p.length); n++) {
                int i = n == 0 ? 0 : rng.nextInt(p.length);
                double keep = p[i];
                p[i] = keep + H;
                double up = loss.getAsDouble();
                p[i] = keep - H;
                double down = loss.getAsDouble();
                p[i] = keep;
                maxDiff = Math.max(maxDiff, Math.abs((up - down) / (2 * H) - g[i]));
            }
            if (e.getKey().endsWith("attn.k.bias")) {
                // softmax ignores a shift shared by a row's scores, and q . b_k is one: the gradient is zero
                if (!(scale < 1e-12 && maxDiff < 1e-9)) throw new AssertionError(e.getKey() + " should have no gradient");
                continue;
            }
            if (scale < 1e-8) throw new AssertionError(e.getKey() + ": gradient is zero, the check would be vacuous");
            if (!(maxDiff <= TOLERANCE * scale)) {
                throw new AssertionError(e.getKey() + ": relative error " + maxDiff / scale);
            }
        }
    }
}
