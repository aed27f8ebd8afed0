package dev.fedlora.strategy;

import dev.fedlora.comm.Payload;
import dev.fedlora.model.Adapter;
import dev.fedlora.model.AdapterLayout;
import dev.fedlora.model.DenseTensor;
import dev.fedlora.model.LoraTarget;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An upload of one factor of every target ({@code A} r x in or {@code B} out x r, row-major) and the
 * dense tensors, not the other factor (RoLoRA: the factor its round trained; FedSA-LoRA: the shared
 * {@code A}); arrays indexed as the
 * layout's targets and dense tensors.
 */
public record OneFactor(AdapterLayout layout, int rank, Factor factor, float[][] factors, float[][] dense)
        implements Payload, Serializable {
    /** A copy of {@code p}'s {@code factor} and dense tensors. */
    public static OneFactor of(Adapter p, Factor factor) {
        float[][] factors = new float[p.layout.targets().size()][];
        for (LoraTarget t : p.layout.targets()) factors[t.index()] = factor.of(p, t).clone();
        float[][] dense = new float[p.layout.dense().size()][];
        for (DenseTensor d : p.layout.dense()) dense[d.index()] = p.dense(d).clone();
        return new OneFactor(p.layout, p.rank, factor, factors, dense);
    }

    /** Values sent: {@code r * sum_t in_t} ({@code A}) or {@code r * sum_t out_t} ({@code B}), plus the dense tensors. */
    public long values() {
        long v = 0;
        for (float[] t : factors) v += t.length;
        for (float[] t : dense) v += t.length;
        return v;
    }

    @Override
    public Map<String, Tensor> tensors() {
        Map<String, Tensor> t = new LinkedHashMap<>();
        for (LoraTarget target : layout.targets()) {
            float[] v = factors[target.index()];
            t.put(target.name() + (factor == Factor.A ? ".lora_A" : ".lora_B"), factor == Factor.A
                    ? new Tensor(v, rank, target.in()) : new Tensor(v, target.out(), rank));
        }
        for (DenseTensor d : layout.dense()) t.put(d.name(), new Tensor(dense[d.index()], d.rows(), d.cols()));
        return t;
    }

    @Override
    public boolean isFinite() {
        return Payload.allFinite(factors, dense);
    }

    @Override
    public double norm() {
        return Payload.norm(factors, dense);
    }
}
