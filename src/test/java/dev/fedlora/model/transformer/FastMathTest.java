package dev.fedlora.model.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.kernel.OpenBlasGemm;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@code model.fast-math}: {@link FastExp} against {@link Math#exp}, the float GELU and softmax
 * cross-entropy against the double-precision ones, and a whole language-model step of a model of
 * the pretraining job's width with both. (The gradients of the fast path against the independent
 * double reference are in {@link TransformerGradientTest}.)
 */
class FastMathTest {
    @Test
    void expIsWithinThreeTenthsOfAMillionthOfMathExp() {
        double worst = 0;
        for (int i = 0; i <= 1_000_000; i++) {
            float x = -87f + 175f * i / 1_000_000f;
            double exact = Math.exp(x);
            worst = Math.max(worst, Math.abs(FastExp.exp(x) - exact) / exact);
        }
        assertTrue(worst < 3e-7, "worst relative error " + worst);
        assertEquals(1f, FastExp.exp(0f));
        assertEquals(Math.E, FastExp.exp(1f), 3e-7 * Math.E);
    }

    @Test
    void expClampsFarOutAndKeepsNaN() {
        float tiny = FastExp.exp(-1e4f);
        assertTrue(tiny > 0 && tiny < 1.3e-38f, "exp(-1e4) = " + tiny);
        assertEquals(FastExp.exp(FastExp.MIN_ARG), tiny);
        float huge = FastExp.exp(1e4f);
        assertTrue(Float.isFinite(huge) && huge > 1.6e38f, "exp(1e4) = " + huge);
        assertTrue(Float.isNaN(FastExp.exp(Float.NaN)), "a NaN input stays NaN, so non-finite updates are still caught");
        assertEquals(FastExp.exp(FastExp.MAX_ARG), FastExp.exp(Float.POSITIVE_INFINITY));
    }

    @Test
    void geluMatchesTheDoublePrecisionOneToAMillionth() {
        int n = 20_001;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = -10f + 20f * i / (n - 1);
        x[0] = -60f;
        x[n - 1] = 60f;
        float[] y = new float[n], t = new float[n], yFast = new float[n], tFast = new float[n];
        Gelu.forward(x, y, t, n);
        Gelu.forwardFast(x, yFast, tFast, n);
        for (int i = 0; i < n; i++) {
            assertEquals(y[i], yFast[i], 1e-6 * Math.max(1, Math.abs(y[i])), "gelu(" + x[i] + ")");
            assertEquals(t[i], tFast[i], 1e-6, "tanh at " + x[i]);
        }
        assertEquals(60f, yFast[n - 1]);
        assertEquals(0f, yFast[0], 0f);
    }

    @Test
    void softmaxCrossEntropyMatchesTheDoublePrecisionOne() {
        SplittableRandom rng = new SplittableRandom(5);
        int width = 2048;
        float[] z = new float[width];
        for (int i = 0; i < width; i++) z[i] = (float) (4 * rng.nextGaussian());
        z[17] = 30f;
        float[] dz = new float[width], dzFast = new float[width];
        double loss = SoftmaxCrossEntropy.row(z, 0, width, 3, dz, 0.25f);
        double lossFast = SoftmaxCrossEntropy.rowFast(z, 0, width, 3, dzFast, 0.25f);
        assertEquals(loss, lossFast, 1e-6 * Math.abs(loss));
        assertEquals(loss, SoftmaxCrossEntropy.rowFast(z, 0, width, 3, null, 0.25f), 1e-6 * Math.abs(loss));
        double sum = 0;
        for (int j = 0; j < width; j++) {
            assertEquals(dz[j], dzFast[j], 1e-7, "dz[" + j + "]");
            sum += dzFast[j];
        }
        assertEquals(0, sum, 1e-6, "softmax minus one-hot sums to zero");
        assertTrue(dzFast[3] < 0 && dzFast[17] > 0.2f);
    }

    @Test
    void aLanguageModelStepAtThePretrainingWidthAgreesToAMillionth() {
        TransformerBase base = Fixtures.randomBase(new TransformerConfig(211, 16, 64, 4, 2, 256), 31, 0.1);
        List<String> targets = List.of("layers.0.attn.q", "layers.0.attn.v", "layers.1.attn.q", "layers.1.attn.v");
        TransformerLora lora = Fixtures.randomLora(base, targets, 4, 0.5f, 0, 32);
        int[][] tokens = Fixtures.tokens(33, 4, 16, 211);
        Transformer exact = new Transformer(base, new OpenBlasGemm());
        Transformer fast = new Transformer(base, new OpenBlasGemm(), true);
        TransformerLora g = lora.zerosLike(), gFast = lora.zerosLike();
        double loss = exact.lmForwardBackward(exact.workspace(4, 16, lora), tokens, lora, g, null);
        double lossFast = fast.lmForwardBackward(fast.workspace(4, 16, lora), tokens, lora, gFast, null);
        assertTrue(loss != lossFast, "the two paths compute differently");
        assertEquals(loss, lossFast, 1e-6 * loss);
        for (String t : targets) {
            assertClose(g.a(t), gFast.a(t), t + ".A");
            assertClose(g.b(t), gFast.b(t), t + ".B");
        }
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        double scale = 0;
        for (float v : expected) scale = Math.max(scale, Math.abs(v));
        assertTrue(scale > 0, what + " has a gradient");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5 * scale, what + "[" + i + "]");
        }
    }
}
