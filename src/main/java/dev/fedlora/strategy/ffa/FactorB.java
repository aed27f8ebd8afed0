package dev.fedlora.strategy.ffa;

import dev.fedlora.comm.Payload;
import dev.fedlora.model.Adapter;
import dev.fedlora.model.AdapterLayout;
import dev.fedlora.model.DenseTensor;
import dev.fedlora.model.LoraTarget;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an FFA-LoRA client sends: every target's {@code B} (out x r, row-major) and the dense
 * tensors, not the frozen {@code A}; arrays indexed as the layout's targets and dense tensors.
 */
public record FactorB(AdapterLayout layout, int rank, float[][] b, float[][] dense) implements Payload, Serializable {
    /** A copy of {@code p}'s {@code B}s and dense tensors. */
    public static FactorB of(Adapter p) {
        float[][] b = new float[p.layout.targets().size()][];
        for (LoraTarget t : p.layout.targets()) b[t.index()] = p.b(t).clone();
        float[][] dense = new float[p.layout.dense().size()][];
        for (DenseTensor d : p.layout.dense()) dense[d.index()] = p.dense(d).clone();
        return new FactorB(p.layout, p.rank, b, dense);
    }

    /** Values sent: {@code r * sum_t out_t} plus the dense tensors. */
    public long values() {
        long v = 0;
        for (float[] t : b) v += t.length;
        for (float[] t : dense) v += t.length;
        return v;
    }

    @Override
    public Map<String, Tensor> tensors() {
        Map<String, Tensor> t = new LinkedHashMap<>();
        for (LoraTarget target : layout.targets()) t.put(target.name() + ".lora_B", new Tensor(b[target.index()], target.out(), rank));
        for (DenseTensor d : layout.dense()) t.put(d.name(), new Tensor(dense[d.index()], d.rows(), d.cols()));
        return t;
    }

    @Override
    public boolean isFinite() {
        return Payload.allFinite(b, dense);
    }

    @Override
    public double norm() {
        return Payload.norm(b, dense);
    }
}
