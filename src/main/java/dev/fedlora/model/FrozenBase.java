package dev.fedlora.model;

import dev.fedlora.kernel.Gemm;
import java.nio.FloatBuffer;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The frozen hidden layers of a {@link BaseMlp} in native memory (direct buffers for
 * {@link Gemm}), built once per JVM for each base model object (on an executor: once per
 * broadcast) and shared, read-only, by every client trained there.
 */
public final class FrozenBase {
    private static final Map<BaseMlp, FrozenBase> CACHE = Collections.synchronizedMap(new WeakHashMap<>());

    /** Row-major {@code out_l x in_l} weights of hidden layer l, in native memory for the products. */
    final FloatBuffer[] weights;
    /** The biases on the heap: only Java adds them. */
    final float[][] biases;

    private FrozenBase(BaseMlp base, int hiddenLayers) {
        weights = new FloatBuffer[hiddenLayers];
        biases = new float[hiddenLayers][];
        for (int l = 0; l < hiddenLayers; l++) {
            weights[l] = copyOf(base.weight(l));
            biases[l] = base.bias(l).clone();
        }
    }

    private static FloatBuffer copyOf(float[] values) {
        FloatBuffer b = Gemm.allocate(values.length);
        b.put(0, values);
        return b;
    }

    /** The frozen hidden layers of {@code base} that a model of {@code shape} uses. */
    public static FrozenBase of(BaseMlp base, MlpShape shape) {
        int[] s = base.sizes();
        for (int l = 0; l <= shape.adaptedLayers(); l++) {
            if (s[l] != shape.sizes()[l]) {
                throw new IllegalArgumentException("base model sizes " + java.util.Arrays.toString(s)
                        + " do not match model shape " + shape);
            }
        }
        return CACHE.computeIfAbsent(base, b -> new FrozenBase(b, shape.adaptedLayers()));
    }
}
