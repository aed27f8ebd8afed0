package dev.fedlora.strategy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import dev.fedlora.comm.Payload;
import dev.fedlora.config.ConfigLoader;
import dev.fedlora.config.ExperimentConfig;
import dev.fedlora.config.StrategyConfig;
import dev.fedlora.model.Adapter;
import dev.fedlora.model.AdapterLayout;
import java.util.List;

/** Hand-built adapters and folds shared by the strategy tests. */
public final class Adapters {
    /** Inputs 3, one adapted hidden layer of 2, 2 classes: A is r x 3, B is 2 x r, maxRank 2. */
    public static final AdapterLayout TINY = dev.fedlora.model.MlpModel.layoutOf(3, 2, 2);

    private Adapters() {}

    /** Rank 1: A = [1 2 3], B = [4; 5], head W = [1 2; 3 4], head b = [1, -1]. */
    public static Adapter low() {
        return params(1, f(1, 2, 3), f(4, 5), f(1, 2, 3, 4), f(1, -1));
    }

    /** Rank 2: A = [10 20 30; 40 50 60], B = [70 80; 90 100], head W = [5 6; 7 8], head b = [3, 1]. */
    public static Adapter high() {
        return params(2, f(10, 20, 30, 40, 50, 60), f(70, 80, 90, 100), f(5, 6, 7, 8), f(3, 1));
    }

    /** Rank 2: A = [2 4 6; 0 -10 20], B = [6 -8; 10 4], head W = all 1, head b = 0. */
    public static Adapter high2() {
        return params(2, f(2, 4, 6, 0, -10, 20), f(6, -8, 10, 4), f(1, 1, 1, 1), f(0, 0));
    }

    /** A global model of {@code adapter} with no server state (see {@link #fresh}). */
    public static GlobalModel<NoState> global(Adapter adapter) {
        return new GlobalModel<>(adapter, NoState.NONE);
    }

    /**
     * {@code global} as {@code strategy} would hold it before its first round: a model made by
     * {@link #global} (no server state) gets the strategy's initial state; any other is returned as it is.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static GlobalModel fresh(Strategy strategy, GlobalModel global) {
        if (global.serverState() == NoState.NONE && !(strategy.initialState() instanceof NoState)) {
            return new GlobalModel(global.adapter(), strategy.initialState());
        }
        return global;
    }

    public static AdapterLayout shapeOf(GlobalModel<?> global) {
        return global.adapter().layout;
    }

    public static int rankOf(GlobalModel<?> global) {
        return global.adapter().rank;
    }

    /** One model per base, as a run has: the merged-base cache is keyed by the model. */
    private static final java.util.Map<dev.fedlora.model.BaseMlp, dev.fedlora.model.MlpModel> MODELS =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    /** The frozen base {@code strategy}'s clients train on after {@code global}, from its download's spec. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static dev.fedlora.model.BaseMlp frozenBase(Strategy strategy, dev.fedlora.model.BaseMlp original, GlobalModel global) {
        dev.fedlora.model.MlpModel model = MODELS.computeIfAbsent(original,
                b -> dev.fedlora.model.MlpModel.of(b, global.adapter().layout));
        var merged = strategy.download(fresh(strategy, global), 2).training().baseDelta().applyTo(model);
        return merged == model ? original : ((dev.fedlora.model.MlpModel) merged).base();
    }

    /** Whether {@code strategy}'s clients train {@code A}, from its download's spec. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static boolean trainsA(Strategy strategy) {
        return strategy.download(fresh(strategy, someGlobal()), 1).training().trainsA();
    }

    /** A rank-2 global adapter whose values differ from every client's. */
    public static GlobalModel<NoState> someGlobal() {
        return Adapters.global(params(2, f(0.1, 0.2, 0.3, 7, 8, 9), f(0.4, 6, 0.5, 5), f(9, 9, 9, 9), f(9, 9)));
    }

    /** Asserts every tensor of {@code actual} (a rank-2 {@code TINY} adapter) within 1e-6. */
    public static void assertAdapter(float[] a, float[] b, float[] headW, float[] headB, Adapter actual) {
        assertEquals(a.length / 3, actual.rank, "rank");
        assertArrayEquals(a, actual.a(0), 1e-6f, "A");
        assertArrayEquals(b, actual.b(0), 1e-6f, "B");
        assertArrayEquals(headW, actual.dense("head.weight"), 1e-6f, "head W");
        assertArrayEquals(headB, actual.dense("head.bias"), 1e-6f, "head bias");
    }

    /** An adapter of {@code TINY} with the given row-major A, B, head W and head bias. */
    public static Adapter params(int rank, float[] a, float[] b, float[] headW, float[] headB) {
        Adapter p = new Adapter(TINY, rank);
        copyInto(p.a(0), a);
        copyInto(p.b(0), b);
        copyInto(p.dense("head.weight"), headW);
        copyInto(p.dense("head.bias"), headB);
        return p;
    }

    private static void copyInto(float[] dst, float[] src) {
        assertEquals(dst.length, src.length, "values given for a tensor");
        System.arraycopy(src, 0, dst, 0, src.length);
    }

    public static float[] f(double... values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) out[i] = (float) values[i];
        return out;
    }

    public static <P extends Payload> ClientUpdate<P> update(int clientId, long numExamples, int rank, P payload) {
        return new ClientUpdate<>(clientId, rank, numExamples, payload);
    }

    /** The strategy section of the default config with {@code settings} (HOCON lines) over it. */
    public static StrategyConfig config(String... settings) {
        return ExperimentConfig.from(ConfigFactory.parseString(String.join("\n", settings))
                .withFallback(ConfigLoader.defaults()).resolve()).strategy();
    }

    /** One in-order pass: zero, add every update, finish. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static GlobalModel fold(Strategy strategy, GlobalModel global, List<? extends ClientUpdate> updates) {
        GlobalModel start = fresh(strategy, global);
        Accumulator acc = strategy.zero(start.adapter().layout, start.adapter().rank);
        for (ClientUpdate u : updates) acc.add(u);
        assertEquals(updates.size(), acc.count(), "updates folded");
        return strategy.finish(acc, start, 1);
    }
}
