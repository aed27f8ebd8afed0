package dev.fedlora.model.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fedlora.kernel.Gemm;
import dev.fedlora.kernel.OpenBlasGemm;
import dev.fedlora.kernel.ReferenceGemm;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A whole forward and backward step of the float implementation against the independent
 * double-precision {@link ReferenceTransformer}: the loss, every LoRA factor's and the head's
 * gradient, and in full-parameter mode every base tensor's gradient, on both Gemm kernels, with
 * the element-wise math in double and in float ({@code model.fast-math}), to the same tolerances.
 */
class TransformerGradientTest {
    private static final double LOSS_TOLERANCE = 1e-5;
    private static final double GRAD_TOLERANCE = 2e-5;
    private static final List<String> TARGETS = List.of("layers.0.attn.q", "layers.0.attn.k", "layers.1.attn.v",
            "layers.1.attn.o", "layers.0.mlp.up", "layers.1.mlp.down");

    private final TransformerBase base = Fixtures.randomBase(Fixtures.TINY, 21, 0.3);
    private final int[][] tokens = Fixtures.tokens(22, 3, 6, 23);
    private final int[] labels = Fixtures.labels(23, 3, 4);

    static Stream<Arguments> kernels() {
        return Stream.of(Arguments.of("openblas", new OpenBlasGemm(), false), Arguments.of("reference", new ReferenceGemm(), false),
                Arguments.of("openblas, fast math", new OpenBlasGemm(), true),
                Arguments.of("reference, fast math", new ReferenceGemm(), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void languageModelLoraGradients(String kernel, Gemm gemm, boolean fastMath) {
        TransformerLora lora = Fixtures.randomLora(base, TARGETS, 3, 0.5f, 0, 24);
        TransformerLora grad = lora.zerosLike();
        Transformer model = new Transformer(base, gemm, fastMath);
        TransformerWorkspace ws = model.workspace(3, 6, lora);
        double loss = model.lmForwardBackward(ws, tokens, lora, grad, null);

        ReferenceTransformer ref = new ReferenceTransformer(base, lora);
        Map<String, double[]> g = ref.zeroGrads();
        assertEquals(ref.lm(tokens, g), loss, LOSS_TOLERANCE * Math.abs(loss));
        assertEquals(loss, ws.loss());
        assertEquals(3 * 5, ws.predictions());
        assertLora(g, grad);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void languageModelFullParameterGradients(String kernel, Gemm gemm, boolean fastMath) {
        TransformerLora lora = Fixtures.randomLora(base, TARGETS, 2, 1.5f, 0, 25);
        TransformerLora grad = lora.zerosLike();
        TransformerBase baseGrad = TransformerBase.zeros(base.config());
        Transformer model = new Transformer(base, gemm, fastMath);
        double loss = model.lmForwardBackward(model.workspace(3, 6, lora), tokens, lora, grad, baseGrad);

        ReferenceTransformer ref = new ReferenceTransformer(base, lora);
        Map<String, double[]> g = ref.zeroGrads();
        assertEquals(ref.lm(tokens, g), loss, LOSS_TOLERANCE * Math.abs(loss));
        assertBase(g, baseGrad);
        assertLora(g, grad);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void languageModelFullParameterWithoutAdapter(String kernel, Gemm gemm, boolean fastMath) {
        TransformerBase baseGrad = TransformerBase.zeros(base.config());
        Transformer model = new Transformer(base, gemm, fastMath);
        int[][] shorter = Fixtures.tokens(26, 2, 4, 23);
        double loss = model.lmForwardBackward(model.workspace(2, 4, null), shorter, null, null, baseGrad);

        ReferenceTransformer ref = new ReferenceTransformer(base, null);
        Map<String, double[]> g = ref.zeroGrads();
        assertEquals(ref.lm(shorter, g), loss, LOSS_TOLERANCE * Math.abs(loss));
        assertBase(g, baseGrad);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void classificationLoraAndHeadGradients(String kernel, Gemm gemm, boolean fastMath) {
        TransformerLora lora = Fixtures.randomLora(base, TARGETS, 3, 0.5f, 4, 27);
        TransformerLora grad = lora.zerosLike();
        Transformer model = new Transformer(base, gemm, fastMath);
        TransformerWorkspace ws = model.workspace(3, 6, lora);
        double loss = model.classifyForwardBackward(ws, tokens, labels, lora, grad, null);

        ReferenceTransformer ref = new ReferenceTransformer(base, lora);
        Map<String, double[]> g = ref.zeroGrads();
        assertEquals(ref.classify(tokens, labels, g), loss, LOSS_TOLERANCE * Math.abs(loss));
        assertEquals(3, ws.predictions());
        assertLora(g, grad);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void classificationFullParameterGradients(String kernel, Gemm gemm, boolean fastMath) {
        TransformerLora lora = Fixtures.randomLora(base, List.of("layers.1.attn.q"), 2, 0.5f, 4, 28);
        TransformerLora grad = lora.zerosLike();
        TransformerBase baseGrad = TransformerBase.zeros(base.config());
        Transformer model = new Transformer(base, gemm, fastMath);
        double loss = model.classifyForwardBackward(model.workspace(3, 6, lora), tokens, labels, lora, grad, baseGrad);

        ReferenceTransformer ref = new ReferenceTransformer(base, lora);
        Map<String, double[]> g = ref.zeroGrads();
        assertEquals(ref.classify(tokens, labels, g), loss, LOSS_TOLERANCE * Math.abs(loss));
        assertBase(g, baseGrad);
        assertLora(g, grad);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void classificationHeadOnly(String kernel, Gemm gemm, boolean fastMath) {
        TransformerLora lora = Fixtures.randomLora(base, List.of(), 1, 1f, 4, 29);
        TransformerLora grad = lora.zerosLike();
        Transformer model = new Transformer(base, gemm, fastMath);
        double loss = model.classifyForwardBackward(model.workspace(3, 6, lora), tokens, labels, lora, grad, null);

        ReferenceTransformer ref = new ReferenceTransformer(base, lora);
        Map<String, double[]> g = ref.zeroGrads();
        assertEquals(ref.classify(tokens, labels, g), loss, LOSS_TOLERANCE * Math.abs(loss));
        assertLora(g, grad);
    }

    private static void assertLora(Map<String, double[]> g, TransformerLora grad) {
        for (String t : grad.targets()) {
            Fixtures.assertRelativeError(g.get(t + ".lora_A"), grad.a(t), GRAD_TOLERANCE, t + " A");
            Fixtures.assertRelativeError(g.get(t + ".lora_B"), grad.b(t), GRAD_TOLERANCE, t + " B");
        }
        for (String name : grad.denseNames()) {
            Fixtures.assertRelativeError(g.get(name), grad.dense(name), GRAD_TOLERANCE, name);
        }
    }

    private static void assertBase(Map<String, double[]> g, TransformerBase baseGrad) {
        for (String name : baseGrad.tensorNames()) {
            double[] expected = g.get(name);
            if (name.endsWith("attn.k.bias")) {
                // exactly zero in exact arithmetic (softmax ignores a per-row shift); float noise only
                for (int i = 0; i < expected.length; i++) {
                    if (Math.abs(baseGrad.tensor(name)[i]) > 1e-6) throw new AssertionError(name + " is not ~0");
                }
                continue;
            }
            Fixtures.assertRelativeError(expected, baseGrad.tensor(name), GRAD_TOLERANCE, name);
        }
    }
}
