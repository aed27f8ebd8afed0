package dev.fedlora.strategy.fedsa;

import dev.fedlora.comm.Payload;
import dev.fedlora.model.Adapter;
import dev.fedlora.model.AdapterLayout;
import dev.fedlora.model.DenseTensor;
import dev.fedlora.model.LoraTarget;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a FedSA-LoRA client sends: every target's {@code A} (r x in, row-major) and the dense
 * tensors, not its {@code B}; arrays indexed as the layout's targets and dense tensors.
 */
public record FactorA(AdapterLayout layout, int rank, float[][] a, float[][] dense) implements Payload, Serializable {
    /** A copy of {@code p}'s {@code A}s and dense tensors. */
    public static FactorA of(Adapter p) {
        float[][] a = new float[p.layout.targets().size()][];
        for (LoraTarget t : p.layout.targets()) a[t.index()] = p.a(t).clone();
        float[][] dense = new float[p.layout.dense().size()][];
        for (DenseTensor d : p.layout.dense()) dense[d.index()] = p.dense(d).clone();
        return new FactorA(p.layout, p.rank, a, dense);
    }

    /** Values sent: {@code r * sum_t in_t} plus the dense tensors. */
    public long values() {
        long v = 0;
        for (float[] t : a) v += t.length;
        for (float[] t : dense) v += t.length;
        return v;
    }

    @Override
    public Map<String, Tensor> tensors() {
        Map<String, Tensor> t = new LinkedHashMap<>();
        for (LoraTarget target : layout.targets()) t.put(target.name() + ".lora_A", new Tensor(a[target.index()], rank, target.in()));
        for (DenseTensor d : layout.dense()) t.put(d.name(), new Tensor(dense[d.index()], d.rows(), d.cols()));
        return t;
    }

    @Override
    public boolean isFinite() {
        for (float[] t : a) for (float v : t) if (!Float.isFinite(v)) return false;
        for (float[] t : dense) for (float v : t) if (!Float.isFinite(v)) return false;
        return true;
    }

    @Override
    public double norm() {
        double s = 0;
        for (float[] t : a) for (float v : t) s += (double) v * v;
        for (float[] t : dense) for (float v : t) s += (double) v * v;
        return Math.sqrt(s);
    }
}
