package dev.fedlora.model;

import dev.fedlora.data.LabeledImages;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The frozen first layer's pre-activation {@code x W_0^T + b_0} of every example of a data set,
 * computed once per JVM for each (base model, data set) pair and reused by every client, step,
 * epoch and round (it depends only on frozen weights and fixed data). Computed in fixed chunks so
 * its values do not depend on which client asks first.
 */
public final class FirstLayerProjection {
    private static final int CHUNK = 1024;
    private static final Map<BaseMlp, Map<LabeledImages, float[]>> CACHE =
            Collections.synchronizedMap(new WeakHashMap<>());

    private FirstLayerProjection() {}

    /** Row-major {@code size x out_0} pre-activations of {@code data} under {@code base}'s first layer. */
    public static float[] of(BaseMlp base, LabeledImages data) {
        Map<LabeledImages, float[]> perBase = CACHE.computeIfAbsent(base, b -> new WeakHashMap<>());
        synchronized (perBase) {
            return perBase.computeIfAbsent(data, d -> compute(base, d));
        }
    }

    private static float[] compute(BaseMlp base, LabeledImages data) {
        int in = base.sizes()[0];
        int out = base.sizes()[1];
        INDArray w = Nd4j.create(base.weight(0).clone(), new long[] {out, in}, DataType.FLOAT);
        INDArray b = Nd4j.create(base.bias(0).clone(), new long[] {1, out}, DataType.FLOAT);
        float[] result = new float[data.size() * out];
        int[] idx = new int[CHUNK];
        for (int from = 0; from < data.size(); from += CHUNK) {
            int n = Math.min(CHUNK, data.size() - from);
            for (int i = 0; i < n; i++) idx[i] = from + i;
            INDArray x = Nd4j.create(data.featureRows(idx, 0, n), new long[] {n, in}, DataType.FLOAT);
            INDArray z = Nd4j.zeros(DataType.FLOAT, n, out);
            Nd4j.gemm(x, w, z, false, true, 1.0, 0.0);
            z.addiRowVector(b);
            Nd4j.getAffinityManager().ensureLocation(z, AffinityManager.Location.HOST);
            z.data().asNioFloat().get(result, from * out, n * out);
        }
        return result;
    }
}
