package dev.fedlora.model;

import dev.fedlora.comm.Payload;
import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * The trainable values of a LoRA-adapted MLP at one rank: per adapted layer {@code l},
 * {@code A_l} (r x in, row-major) and {@code B_l} (out x r, row-major), plus the new
 * classification head {@code W} (classes x lastHidden) and bias. Rank slot {@code j} is row
 * {@code j} of every {@code A} and column {@code j} of every {@code B}.
 */
public final class LoraParams implements Serializable, Payload {
    private static final long serialVersionUID = 1L;

    public final ModelShape shape;
    public final int rank;
    public final float[][] a;
    public final float[][] b;
    public final float[] headW;
    public final float[] headB;

    public LoraParams(ModelShape shape, int rank) {
        if (rank < 1 || rank > shape.maxRank()) {
            throw new IllegalArgumentException("rank must be in [1, " + shape.maxRank() + "], found " + rank);
        }
        this.shape = shape;
        this.rank = rank;
        int layers = shape.adaptedLayers();
        this.a = new float[layers][];
        this.b = new float[layers][];
        for (int l = 0; l < layers; l++) {
            a[l] = new float[rank * shape.in(l)];
            b[l] = new float[shape.out(l) * rank];
        }
        this.headW = new float[shape.classes() * shape.lastHidden()];
        this.headB = new float[shape.classes()];
    }

    /**
     * The initial global adapter: {@code A} ~ N(0, 1/in) (small random, seeded), {@code B} = 0,
     * head ~ N(0, 1/lastHidden), head bias 0.
     */
    public static LoraParams init(ModelShape shape, int rank, SplittableRandom rng) {
        LoraParams p = new LoraParams(shape, rank);
        for (int l = 0; l < shape.adaptedLayers(); l++) fillGaussian(p.a[l], 1.0 / Math.sqrt(shape.in(l)), rng);
        fillGaussian(p.headW, 1.0 / Math.sqrt(shape.lastHidden()), rng);
        return p;
    }

    private static void fillGaussian(float[] dst, double std, SplittableRandom rng) {
        for (int i = 0; i < dst.length; i++) dst[i] = (float) (std * gaussian(rng));
    }

    /** A standard normal draw (Box–Muller, one of the pair). */
    public static double gaussian(SplittableRandom rng) {
        double u1 = 1.0 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /** The first {@code r} rank slots (or all slots zero-padded up to {@code r}), head copied. */
    public LoraParams withRank(int r) {
        LoraParams out = new LoraParams(shape, r);
        int keep = Math.min(r, rank);
        for (int l = 0; l < a.length; l++) {
            int in = shape.in(l);
            System.arraycopy(a[l], 0, out.a[l], 0, keep * in);
            int o = shape.out(l);
            for (int i = 0; i < o; i++) System.arraycopy(b[l], i * rank, out.b[l], i * r, keep);
        }
        System.arraycopy(headW, 0, out.headW, 0, headW.length);
        System.arraycopy(headB, 0, out.headB, 0, headB.length);
        return out;
    }

    public LoraParams copy() { return withRank(rank); }

    /** Number of trainable values. */
    public int size() { return rank * shape.valuesPerRankSlot() + shape.headValues(); }

    /** All values concatenated: A_0, B_0, A_1, B_1, ..., head W, head bias. */
    public float[] flatten() {
        float[] flat = new float[size()];
        int off = 0;
        for (int l = 0; l < a.length; l++) {
            System.arraycopy(a[l], 0, flat, off, a[l].length); off += a[l].length;
            System.arraycopy(b[l], 0, flat, off, b[l].length); off += b[l].length;
        }
        System.arraycopy(headW, 0, flat, off, headW.length); off += headW.length;
        System.arraycopy(headB, 0, flat, off, headB.length);
        return flat;
    }

    /** The inverse of {@link #flatten()}. */
    public static LoraParams unflatten(ModelShape shape, int rank, float[] flat) {
        LoraParams p = new LoraParams(shape, rank);
        if (flat.length != p.size()) {
            throw new IllegalArgumentException("flat vector has " + flat.length + " values, expected " + p.size());
        }
        int off = 0;
        for (int l = 0; l < p.a.length; l++) {
            System.arraycopy(flat, off, p.a[l], 0, p.a[l].length); off += p.a[l].length;
            System.arraycopy(flat, off, p.b[l], 0, p.b[l].length); off += p.b[l].length;
        }
        System.arraycopy(flat, off, p.headW, 0, p.headW.length); off += p.headW.length;
        System.arraycopy(flat, off, p.headB, 0, p.headB.length);
        return p;
    }

    @Override
    public java.util.Map<String, Payload.Tensor> tensors() {
        java.util.Map<String, Payload.Tensor> t = new java.util.LinkedHashMap<>();
        for (int l = 0; l < a.length; l++) {
            t.put("A" + l, new Payload.Tensor(a[l], rank, shape.in(l)));
            t.put("B" + l, new Payload.Tensor(b[l], shape.out(l), rank));
        }
        t.put("head-W", new Payload.Tensor(headW, shape.classes(), shape.lastHidden()));
        t.put("head-b", Payload.Tensor.vector(headB));
        return t;
    }

    @Override
    public double norm() {
        double s = 0;
        for (float[] t : arrays()) {
            for (float v : t) s += (double) v * v;
        }
        return Math.sqrt(s);
    }

    /**
     * {@code ||this - other||_2} over all values, without copying; NaN or infinite when a value is
     * not finite.
     * @throws IllegalArgumentException if the two differ in shape or rank
     */
    public double distanceTo(LoraParams other) {
        if (other.rank != rank || !other.shape.equals(shape)) {
            throw new IllegalArgumentException("rank " + other.rank + " parameters compared with rank " + rank);
        }
        float[][] mine = arrays();
        float[][] theirs = other.arrays();
        double s = 0;
        for (int k = 0; k < mine.length; k++) {
            for (int i = 0; i < mine[k].length; i++) {
                double d = (double) mine[k][i] - theirs[k][i];
                s += d * d;
            }
        }
        return Math.sqrt(s);
    }

    /** Every tensor, in {@link #flatten()} order (the arrays themselves, not copies). */
    private float[][] arrays() {
        float[][] t = new float[2 * a.length + 2][];
        for (int l = 0; l < a.length; l++) {
            t[2 * l] = a[l];
            t[2 * l + 1] = b[l];
        }
        t[t.length - 2] = headW;
        t[t.length - 1] = headB;
        return t;
    }

    /** True if every value is finite. */
    @Override
    public boolean isFinite() {
        for (float[] t : arrays()) if (!allFinite(t)) return false;
        return true;
    }

    private static boolean allFinite(float[] t) {
        for (float v : t) if (!Float.isFinite(v)) return false;
        return true;
    }
}
