package dev.fedlora.model;

import static dev.fedlora.Bitwise.assertSameBits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.SyntheticData;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The mlp behind the model seam: its targets by name and pattern, the adapter's tensor names and
 * flattening order, both inits, and a network with fewer targets against one with every target.
 */
class MlpModelTest {
    private static final int[] SIZES = {7, 6, 5, 4};
    private final SplittableRandom rng = new SplittableRandom(3);
    private final BaseMlp base = SyntheticData.base(SIZES, rng);

    private MlpModel model(List<String> targets) {
        return MlpModel.of(base, 4, targets, MlpModel.TRAINABLE, LoraInit.GAUSSIAN);
    }

    @Test
    void defaultTargetsAreEveryHiddenLayerThenTheHead() {
        AdapterLayout layout = model(List.of()).layout();
        assertEquals(List.of("fc1", "fc2"), layout.targetNames());
        assertEquals(7, layout.target("fc1").in());
        assertEquals(6, layout.target("fc1").out());
        assertEquals(List.of("head.weight", "head.bias"), layout.dense().stream().map(DenseTensor::name).toList());
        assertEquals(MlpModel.layoutOf(SIZES), layout);
        Adapter a = new Adapter(layout, 2);
        assertEquals(List.of("fc1.lora_A", "fc1.lora_B", "fc2.lora_A", "fc2.lora_B", "head.weight", "head.bias"),
                List.copyOf(a.tensors().keySet()));
        // flattening order: A then B of each target, then the dense tensors
        a.a("fc2")[0] = 5;
        a.dense("head.bias")[3] = 7;
        float[] flat = a.flatten();
        assertEquals(5, flat[2 * 7 + 6 * 2]);
        assertEquals(7, flat[flat.length - 1]);
        assertEquals(2 * (7 + 6) + 2 * (6 + 5) + 4 * 5 + 4, flat.length);
    }

    @Test
    void targetsByNameSuffixAndExpression() {
        assertEquals(List.of("fc2"), model(List.of("fc2")).layout().targetNames());
        assertEquals(List.of("fc1", "fc2"), model(List.of("fc[0-9]+")).layout().targetNames());
        assertEquals(List.of("fc1", "fc2"), model(List.of("fc2", "fc1")).layout().targetNames(), "layout order, not pattern order");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model(List.of("q")));
        assertTrue(e.getMessage().contains("lora.targets entry 'q' matches no module; the model has: fc1, fc2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> model(List.of("fc(")));
        assertTrue(e.getMessage().contains("not a valid regular expression"), e.getMessage());
        assertEquals(List.of("layers.3.attn.q"),
                TargetPatterns.select("k", List.of("layers.3.attn.q", "layers.3.attn.k", "layers.3.mlp.up"), List.of("attn.q")));
    }

    @Test
    void onlyTheHeadIsTrainedDensely() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MlpModel.of(base, 4, List.of(), List.of("head", "fc1"), LoraInit.GAUSSIAN));
        assertTrue(e.getMessage().contains("model.trainable = [head, fc1]"), e.getMessage());
    }

    @Test
    void kaimingUniformDrawsWithinItsBoundAndGaussianDoesNot() {
        AdapterLayout kaiming = MlpModel.of(base, 4, List.of(), MlpModel.TRAINABLE, LoraInit.KAIMING_UNIFORM).layout();
        Adapter k = Adapter.init(kaiming, 5, new SplittableRandom(1));
        Adapter g = Adapter.init(model(List.of()).layout(), 5, new SplittableRandom(1));
        double bound = 1 / Math.sqrt(7);
        double largestK = 0, largestG = 0;
        for (float v : k.a("fc1")) largestK = Math.max(largestK, Math.abs(v));
        for (float v : g.a("fc1")) largestG = Math.max(largestG, Math.abs(v));
        assertTrue(largestK <= bound && largestK > 0.8 * bound, "U(-1/sqrt(in), 1/sqrt(in)): " + largestK);
        assertTrue(largestG > bound, "N(0, 1/in) leaves the uniform bound: " + largestG);
        for (float v : k.b("fc1")) assertEquals(0f, v, "B starts at 0");
        assertEquals(LoraInit.KAIMING_UNIFORM, LoraInit.byKey("kaiming-uniform"));
    }

    /**
     * With {@code B = 0} on fc1, a network adapting fc1 and fc2 computes what one adapting fc2 alone
     * does: same loss, and the same gradients for fc2 and the head, bit for bit.
     */
    @Test
    void aLayerWithoutAdapterEqualsOneWhoseBIsZero() {
        MlpModel both = model(List.of());
        MlpModel second = model(List.of("fc2"));
        Adapter full = LoraNetworkTest.randomParams(both.layout(), 2, rng);
        java.util.Arrays.fill(full.b("fc1"), 0f);
        Adapter only = new Adapter(second.layout(), 2);
        System.arraycopy(full.a("fc2"), 0, only.a("fc2"), 0, only.a("fc2").length);
        System.arraycopy(full.b("fc2"), 0, only.b("fc2"), 0, only.b("fc2").length);
        full.copyDenseTo(only);
        float[] x = SyntheticData.gaussian(3 * 7, 1, rng);
        int[] y = {1, 0, 3};
        LoraNetwork netBoth = both.network(2, 1.5f);
        LoraNetwork netSecond = second.network(2, 1.5f);
        netBoth.load(full);
        netSecond.load(only);
        netBoth.loadBatch(x, y, 3);
        netSecond.loadBatch(x, y, 3);
        assertEquals(netBoth.forwardBackward(3), netSecond.forwardBackward(3));
        Adapter gBoth = netBoth.gradients();
        Adapter gSecond = netSecond.gradients();
        assertSameBits(gBoth.a("fc2"), gSecond.a("fc2"), "fc2 A gradient");
        assertSameBits(gBoth.b("fc2"), gSecond.b("fc2"), "fc2 B gradient");
        assertSameBits(gBoth.dense("head.weight"), gSecond.dense("head.weight"), "head gradient");
        assertEquals(second.stepProducts(2, 3).size() + 7, both.stepProducts(2, 3).size(),
                "fc1's LoRA: 2 products forward, 3 backward, and 2 carrying the gradient down through fc2");
    }
}
