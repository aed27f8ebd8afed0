package dev.fedlora.strategy;

import dev.fedlora.comm.Payload;
import dev.fedlora.model.LoraParams;
import java.io.Serializable;

/**
 * What an FFA-LoRA client sends: every {@code B_l} (out x r, row-major) and the head, not the frozen
 * {@code A}.
 */
public record FactorB(int rank, float[][] b, float[] headW, float[] headB) implements Payload, Serializable {
    /** A copy of {@code p}'s {@code B}s and head. */
    public static FactorB of(LoraParams p) {
        float[][] b = new float[p.b.length][];
        for (int l = 0; l < b.length; l++) b[l] = p.b[l].clone();
        return new FactorB(p.rank, b, p.headW.clone(), p.headB.clone());
    }

    /** Values sent: {@code r * sum_l out_l} plus the head. */
    public long values() {
        long v = headW.length + headB.length;
        for (float[] t : b) v += t.length;
        return v;
    }

    @Override
    public java.util.Map<String, Tensor> tensors() {
        java.util.Map<String, Tensor> t = new java.util.LinkedHashMap<>();
        for (int l = 0; l < b.length; l++) t.put("B" + l, new Tensor(b[l], b[l].length / rank, rank));
        t.put("head-W", new Tensor(headW, headB.length, headW.length / headB.length));
        t.put("head-b", Tensor.vector(headB));
        return t;
    }

    @Override
    public boolean isFinite() {
        for (float[] t : b) if (!allFinite(t)) return false;
        return allFinite(headW) && allFinite(headB);
    }

    private static boolean allFinite(float[] t) {
        for (float v : t) if (!Float.isFinite(v)) return false;
        return true;
    }

    @Override
    public double norm() {
        double s = 0;
        for (float[] t : b) s += squares(t);
        return Math.sqrt(s + squares(headW) + squares(headB));
    }

    private static double squares(float[] t) {
        double s = 0;
        for (float v : t) s += (double) v * v;
        return s;
    }
}
