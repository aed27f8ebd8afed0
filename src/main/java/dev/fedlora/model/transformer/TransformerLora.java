package dev.fedlora.model.transformer;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The trainable values of a LoRA-adapted {@link TransformerBase} at rank {@code r}: for each
 * target linear layer (in {@code x W^T + b}, W out x in) the factors {@code A} (r x in) and
 * {@code B} (out x r), row-major, so the layer computes {@code x W^T + b + s (x A^T) B^T} with
 * the one scale {@code s = alpha / r_max}; and, for a classification task, the dense head
 * {@code head.weight} (classes x dModel) and {@code head.bias} (classes). Rank slot {@code j} is
 * row {@code j} of {@code A} and column {@code j} of {@code B}.
 *
 * <p>A plain holder: the arrays returned are the live storage. The same type holds the
 * gradients of these values ({@link #zerosLike()}).
 */
public final class TransformerLora implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final String HEAD_WEIGHT = "head.weight";
    public static final String HEAD_BIAS = "head.bias";

    private final Layout layout;
    private final int rank;
    private final float scale;
    private final int classes;
    private final List<String> targets;
    private final int[] targetIds;
    private final float[][] a;       // by linear id; null where the layer is not a target
    private final float[][] b;
    private final float[] headWeight; // null when classes = 0
    private final float[] headBias;

    private TransformerLora(Layout layout, List<String> targets, int rank, float scale, int classes) {
        if (rank < 1) throw new IllegalArgumentException("rank must be >= 1, found " + rank);
        if (!Float.isFinite(scale)) throw new IllegalArgumentException("scale must be finite, found " + scale);
        if (classes < 0 || classes == 1) {
            throw new IllegalArgumentException("classes must be 0 (no head) or >= 2, found " + classes);
        }
        this.layout = layout;
        this.rank = rank;
        this.scale = scale;
        this.classes = classes;
        int linears = layout.linearNames.size();
        boolean[] chosen = new boolean[linears];
        for (String t : targets) {
            int id = layout.linearId(t);
            if (chosen[id]) throw new IllegalArgumentException("target " + t + " is listed twice in " + targets);
            chosen[id] = true;
        }
        a = new float[linears][];
        b = new float[linears][];
        List<String> ordered = new ArrayList<>();
        for (int id = 0; id < linears; id++) {
            if (!chosen[id]) continue;
            ordered.add(layout.linearNames.get(id));
            a[id] = new float[rank * layout.in(id)];
            b[id] = new float[layout.out(id) * rank];
        }
        this.targets = List.copyOf(ordered);
        this.targetIds = new int[ordered.size()];
        for (int i = 0; i < targetIds.length; i++) targetIds[i] = layout.linearId(ordered.get(i));
        int d = layout.config.dModel();
        headWeight = classes == 0 ? null : new float[classes * d];
        headBias = classes == 0 ? null : new float[classes];
    }

    /** Same shape as {@code shape} (sharing its immutable target list), all zero. */
    private TransformerLora(TransformerLora shape) {
        this.layout = shape.layout;
        this.rank = shape.rank;
        this.scale = shape.scale;
        this.classes = shape.classes;
        this.targets = shape.targets;
        this.targetIds = shape.targetIds;
        a = new float[shape.a.length][];
        b = new float[shape.b.length][];
        for (int id : targetIds) {
            a[id] = new float[shape.a[id].length];
            b[id] = new float[shape.b[id].length];
        }
        headWeight = classes == 0 ? null : new float[shape.headWeight.length];
        headBias = classes == 0 ? null : new float[classes];
    }

    /**
     * All zero.
     * @param targets linear layer names (e.g. from {@link TransformerBase#targets}); stored in the
     *     base's linear order
     * @param classes the head's classes, or 0 for no head (causal language modelling)
     * @throws IllegalArgumentException for an unknown or repeated target, rank below 1, a
     *     non-finite scale, or classes neither 0 nor >= 2
     */
    public static TransformerLora zeros(TransformerBase base, List<String> targets, int rank, float scale, int classes) {
        return new TransformerLora(base.layout(), targets, rank, scale, classes);
    }

    /**
     * LoRA's start: every {@code A} ~ N(0, 1/in), every {@code B} = 0, head weight ~ N(0, 1/dModel),
     * head bias 0; drawn from {@code rng} target by target, then the head.
     */
    public static TransformerLora init(TransformerBase base, List<String> targets, int rank, float scale, int classes,
                                       SplittableRandom rng) {
        TransformerLora p = zeros(base, targets, rank, scale, classes);
        for (int id : p.targetIds) TransformerBase.fillGaussian(p.a[id], 1.0 / Math.sqrt(p.layout.in(id)), rng);
        if (p.headWeight != null) {
            TransformerBase.fillGaussian(p.headWeight, 1.0 / Math.sqrt(p.layout.config.dModel()), rng);
        }
        return p;
    }

    /** Same targets, rank, scale and classes, all zero (a gradient holder). */
    public TransformerLora zerosLike() {
        return new TransformerLora(this);
    }

    public TransformerLora copy() {
        TransformerLora c = zerosLike();
        for (int id : targetIds) {
            System.arraycopy(a[id], 0, c.a[id], 0, a[id].length);
            System.arraycopy(b[id], 0, c.b[id], 0, b[id].length);
        }
        if (headWeight != null) {
            System.arraycopy(headWeight, 0, c.headWeight, 0, headWeight.length);
            System.arraycopy(headBias, 0, c.headBias, 0, headBias.length);
        }
        return c;
    }

    /** Sets every value to zero. */
    public void clear() {
        for (int id : targetIds) {
            Arrays.fill(a[id], 0f);
            Arrays.fill(b[id], 0f);
        }
        if (headWeight != null) {
            Arrays.fill(headWeight, 0f);
            Arrays.fill(headBias, 0f);
        }
    }

    public TransformerConfig config() { return layout.config; }
    public int rank() { return rank; }
    /** The LoRA scale {@code s = alpha / r_max}. */
    public float scale() { return scale; }
    /** The head's classes, 0 when there is no head. */
    public int classes() { return classes; }
    public boolean hasHead() { return classes > 0; }

    /** The adapted linear layers, in the base's linear order. */
    public List<String> targets() { return targets; }

    /** {@code A} of a target, r x in, live. */
    public float[] a(String target) { return factor(a, target); }

    /** {@code B} of a target, out x r, live. */
    public float[] b(String target) { return factor(b, target); }

    public int in(String target) { return layout.in(targetId(target)); }
    public int out(String target) { return layout.out(targetId(target)); }

    /** The dense trainable tensors' names: {@code head.weight}, {@code head.bias}, or none. */
    public List<String> denseNames() {
        return classes == 0 ? List.of() : List.of(HEAD_WEIGHT, HEAD_BIAS);
    }

    /** A dense tensor's live values. */
    public float[] dense(String name) {
        if (classes > 0 && HEAD_WEIGHT.equals(name)) return headWeight;
        if (classes > 0 && HEAD_BIAS.equals(name)) return headBias;
        throw new IllegalArgumentException("no dense tensor named '" + name + "'; dense tensors are " + denseNames());
    }

    /** A dense tensor's dimensions: {@code [classes, dModel]} or {@code [classes]}. */
    public int[] denseShape(String name) {
        dense(name);
        return HEAD_WEIGHT.equals(name) ? new int[] {classes, layout.config.dModel()} : new int[] {classes};
    }

    /** Number of trainable values. */
    public long size() {
        long n = 0;
        for (int id : targetIds) n += a[id].length + b[id].length;
        return n + (classes == 0 ? 0 : headWeight.length + headBias.length);
    }

    /** Same config, targets, rank and classes (the scale may differ). */
    public boolean sameShape(TransformerLora other) {
        return other != null && other.layout.config.equals(layout.config) && other.rank == rank
                && other.classes == classes && (other.targets == targets || other.targets.equals(targets));
    }

    private int targetId(String target) {
        int id = layout.linearId(target);
        if (a[id] == null) throw new IllegalArgumentException(target + " is not a target; targets are " + targets);
        return id;
    }

    private float[] factor(float[][] f, String target) { return f[targetId(target)]; }

    int[] targetIds() { return targetIds; }
    float[] aAt(int linear) { return a[linear]; }
    float[] bAt(int linear) { return b[linear]; }
    float[] headWeight() { return headWeight; }
    float[] headBias() { return headBias; }
}
