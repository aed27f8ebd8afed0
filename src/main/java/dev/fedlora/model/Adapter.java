package dev.fedlora.model;

import dev.fedlora.comm.Payload;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The trainable values of an adapter at one rank, laid out by its {@link AdapterLayout}: for each
 * {@link LoraTarget} {@code A} (r x in) and {@code B} (out x r), row-major, and each
 * {@link DenseTensor}'s values. Rank slot {@code j} is row {@code j} of every {@code A} and column
 * {@code j} of every {@code B}.
 */
public final class Adapter implements Serializable, Payload {
    private static final long serialVersionUID = 2L;

    public final AdapterLayout layout;
    public final int rank;
    private final float[][] a;
    private final float[][] b;
    private final float[][] dense;

    public Adapter(AdapterLayout layout, int rank) {
        if (rank < 1 || rank > layout.maxRank()) {
            throw new IllegalArgumentException("rank must be in [1, " + layout.maxRank() + "], found " + rank);
        }
        this.layout = layout;
        this.rank = rank;
        int targets = layout.targets().size();
        this.a = new float[targets][];
        this.b = new float[targets][];
        for (LoraTarget t : layout.targets()) {
            a[t.index()] = new float[rank * t.in()];
            b[t.index()] = new float[t.out() * rank];
        }
        this.dense = new float[layout.dense().size()][];
        for (DenseTensor d : layout.dense()) dense[d.index()] = new float[d.size()];
    }

    /**
     * The initial global adapter: every {@code A} by the layout's {@link LoraInit} (seeded),
     * every {@code B} = 0, each dense tensor by its own {@link DenseTensor.Init}; draws in
     * flattening order.
     */
    public static Adapter init(AdapterLayout layout, int rank, SplittableRandom rng) {
        Adapter p = new Adapter(layout, rank);
        for (LoraTarget t : layout.targets()) layout.init().fill(p.a(t), t.in(), rng);
        for (DenseTensor d : layout.dense()) {
            if (d.init() == DenseTensor.Init.GAUSSIAN_FAN_IN) {
                float[] v = p.dense(d);
                double std = 1.0 / Math.sqrt(d.cols());
                for (int i = 0; i < v.length; i++) v[i] = (float) (std * gaussian(rng));
            }
        }
        return p;
    }

    /** A standard normal draw (Box–Muller, one of the pair). */
    public static double gaussian(SplittableRandom rng) {
        double u1 = 1.0 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /** {@code A} of target {@code t} (r x in, row-major), not copied. */
    public float[] a(LoraTarget t) { return a[t.index()]; }

    /** {@code B} of target {@code t} (out x r, row-major), not copied. */
    public float[] b(LoraTarget t) { return b[t.index()]; }

    /** The values of dense tensor {@code d}, not copied. */
    public float[] dense(DenseTensor d) { return dense[d.index()]; }

    /** {@code A} of the target at position {@code target} of the layout, not copied. */
    public float[] a(int target) { return a[target]; }

    /** {@code B} of the target at position {@code target} of the layout, not copied. */
    public float[] b(int target) { return b[target]; }

    /** {@code A} of the target called {@code name}, not copied. */
    public float[] a(String name) { return a(layout.target(name)); }

    /** {@code B} of the target called {@code name}, not copied. */
    public float[] b(String name) { return b(layout.target(name)); }

    /** The values of the dense tensor called {@code name}, not copied. */
    public float[] dense(String name) {
        for (DenseTensor d : layout.dense()) if (d.name().equals(name)) return dense(d);
        throw new IllegalArgumentException("no dense tensor " + name + " in " + layout);
    }

    /** Number of LoRA targets. */
    public int targets() { return a.length; }

    /** The first {@code r} rank slots (or all slots zero-padded up to {@code r}), dense tensors copied. */
    public Adapter withRank(int r) {
        Adapter out = new Adapter(layout, r);
        int keep = Math.min(r, rank);
        for (LoraTarget t : layout.targets()) {
            System.arraycopy(a(t), 0, out.a(t), 0, keep * t.in());
            float[] src = b(t);
            float[] dst = out.b(t);
            for (int i = 0; i < t.out(); i++) System.arraycopy(src, i * rank, dst, i * r, keep);
        }
        copyDenseTo(out);
        return out;
    }

    /** Copies every dense tensor's values into {@code other} (same layout). */
    public void copyDenseTo(Adapter other) {
        for (DenseTensor d : layout.dense()) System.arraycopy(dense(d), 0, other.dense(d), 0, d.size());
    }

    public Adapter copy() { return withRank(rank); }

    /** Number of trainable values. */
    public int size() { return (int) layout.values(rank); }

    /** All values concatenated in the layout's flattening order. */
    public float[] flatten() {
        float[] flat = new float[size()];
        int off = 0;
        for (float[] t : arrays()) {
            System.arraycopy(t, 0, flat, off, t.length);
            off += t.length;
        }
        return flat;
    }

    /** The inverse of {@link #flatten()}. */
    public static Adapter unflatten(AdapterLayout layout, int rank, float[] flat) {
        Adapter p = new Adapter(layout, rank);
        if (flat.length != p.size()) {
            throw new IllegalArgumentException("flat vector has " + flat.length + " values, expected " + p.size());
        }
        int off = 0;
        for (float[] t : p.arrays()) {
            System.arraycopy(flat, off, t, 0, t.length);
            off += t.length;
        }
        return p;
    }

    /**
     * Named tensors in flattening order, PEFT's names: {@code <target>.lora_A},
     * {@code <target>.lora_B}, then each dense tensor by its own name.
     */
    @Override
    public Map<String, Payload.Tensor> tensors() {
        Map<String, Payload.Tensor> t = new LinkedHashMap<>();
        for (LoraTarget target : layout.targets()) {
            t.put(target.name() + ".lora_A", new Payload.Tensor(a(target), rank, target.in()));
            t.put(target.name() + ".lora_B", new Payload.Tensor(b(target), target.out(), rank));
        }
        for (DenseTensor d : layout.dense()) t.put(d.name(), new Payload.Tensor(dense(d), d.rows(), d.cols()));
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
     * @throws IllegalArgumentException if the two differ in layout or rank
     */
    public double distanceTo(Adapter other) {
        if (other.rank != rank || !other.layout.equals(layout)) {
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

    /** Every tensor, in flattening order (the arrays themselves, not copies). */
    private float[][] arrays() {
        float[][] t = new float[2 * a.length + dense.length][];
        for (int l = 0; l < a.length; l++) {
            t[2 * l] = a[l];
            t[2 * l + 1] = b[l];
        }
        System.arraycopy(dense, 0, t, 2 * a.length, dense.length);
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
