package dev.fedlora.model;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The frozen hidden layers of a {@link BaseMlp} as ND4J arrays, built once per JVM for each base
 * model object (on an executor: once per broadcast) and shared by every client trained there.
 */
public final class FrozenBase {
    private static final Map<BaseMlp, FrozenBase> CACHE = Collections.synchronizedMap(new WeakHashMap<>());

    final INDArray[] weights;
    final INDArray[] biases;

    private FrozenBase(BaseMlp base, int hiddenLayers) {
        weights = new INDArray[hiddenLayers];
        biases = new INDArray[hiddenLayers];
        int[] s = base.sizes();
        for (int l = 0; l < hiddenLayers; l++) {
            weights[l] = Nd4j.create(base.weight(l).clone(), new long[] {s[l + 1], s[l]}, DataType.FLOAT);
            biases[l] = Nd4j.create(base.bias(l).clone(), new long[] {1, s[l + 1]}, DataType.FLOAT);
        }
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
