package dev.fedlora.model;

import java.io.Serializable;
import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * What a strategy has merged into the frozen base so far (FLoRA, FedEx-LoRA): per LoRA target name
 * a dense out x in delta {@code D_t}, row-major. {@link #applyTo} gives the model with
 * {@code W_t + D_t}. The merged model is built once per (delta, original) pair in a JVM and shared
 * by every client and the evaluation there: each Spark task deserialises its own copy of a round's
 * delta, so copies with equal values share the model too (the JVM keeps the last {@value #RECENT}
 * merged models; a merged MLP pins its data sets' first-layer projections, so the bound is small).
 */
public final class BaseDelta implements Serializable {
    private static final long serialVersionUID = 2L;
    public static final BaseDelta NONE = new BaseDelta(Map.of());

    /** Merged models the JVM keeps for copies of a delta with equal values, most recent last. */
    static final int RECENT = 2;
    private static final Deque<Merged> RECENTLY_MERGED = new ArrayDeque<>();

    private final Map<String, float[]> perTarget;
    private transient Map<AdaptableModel, AdaptableModel> merged;
    private transient int valueHash;

    /** A merged model with the original (held weakly) and the delta it was built from. */
    private record Merged(WeakReference<AdaptableModel> original, BaseDelta delta, AdaptableModel model) {}

    /** @param perTarget the delta of each target by name, in layout order (arrays not copied) */
    public BaseDelta(Map<String, float[]> perTarget) {
        this.perTarget = Collections.unmodifiableMap(new LinkedHashMap<>(perTarget));
    }

    public boolean isNone() {
        return perTarget.isEmpty();
    }

    /**
     * This delta plus {@code s * products[t]} in each target of {@code layout} ({@code products} out x
     * in, row-major, by target index), each value rounded to float as {@code d + s p}; a target this
     * delta lacks starts from 0. FLoRA merges its stacked modules this way, FedEx-LoRA its residuals.
     */
    public BaseDelta plus(AdapterLayout layout, double[][] products, float scale) {
        Map<String, float[]> next = new LinkedHashMap<>();
        for (LoraTarget t : layout.targets()) {
            double[] p = products[t.index()];
            float[] previous = perTarget.get(t.name());
            float[] d = previous == null ? new float[p.length] : previous.clone();
            for (int i = 0; i < p.length; i++) d[i] = (float) (d[i] + scale * p[i]);
            next.put(t.name(), d);
        }
        return new BaseDelta(next);
    }

    /**
     * Values a client holding only the original base downloads to bring it up to date: per target
     * of {@code layout} the cheaper of the dense delta (out x in) and {@code factorValues[t]}, the
     * values of the low-rank factors of everything merged so far (by target index).
     */
    public static long updateValues(AdapterLayout layout, long[] factorValues) {
        long values = 0;
        for (LoraTarget t : layout.targets()) values += Math.min((long) t.out() * t.in(), factorValues[t.index()]);
        return values;
    }

    /** The deltas by target name, in layout order (arrays not copied). */
    public Map<String, float[]> perTarget() {
        return perTarget;
    }

    /**
     * {@code original} with {@code W_t + D_t} in its targets ({@link AdaptableModel#merged});
     * {@code original} itself when there is no delta.
     *
     * @throws IllegalArgumentException if a target's size differs from its delta's
     */
    public synchronized AdaptableModel applyTo(AdaptableModel original) {
        if (isNone()) return original;
        if (merged == null) merged = new WeakHashMap<>();
        return merged.computeIfAbsent(original, this::sharedMerge);
    }

    /** The model merged from a copy of this delta with equal values, or a new one kept for the next copy. */
    private AdaptableModel sharedMerge(AdaptableModel original) {
        synchronized (RECENTLY_MERGED) {
            for (Merged m : RECENTLY_MERGED) {
                if (m.original().get() == original && m.delta().sameValues(this)) return m.model();
            }
        }
        AdaptableModel model = original.merged(this);
        synchronized (RECENTLY_MERGED) {
            RECENTLY_MERGED.addLast(new Merged(new WeakReference<>(original), this, model));
            while (RECENTLY_MERGED.size() > RECENT) RECENTLY_MERGED.removeFirst();
        }
        return model;
    }

    /** Whether {@code other} holds the same targets with bit-identical values. */
    boolean sameValues(BaseDelta other) {
        if (other == this) return true;
        if (valueHash() != other.valueHash() || !perTarget.keySet().equals(other.perTarget.keySet())) return false;
        for (Map.Entry<String, float[]> e : perTarget.entrySet()) {
            if (!Arrays.equals(e.getValue(), other.perTarget.get(e.getKey()))) return false;
        }
        return true;
    }

    private int valueHash() {
        if (valueHash == 0) {
            int h = 1;
            for (Map.Entry<String, float[]> e : perTarget.entrySet()) {
                h = 31 * h + e.getKey().hashCode();
                h = 31 * h + Arrays.hashCode(e.getValue());
            }
            valueHash = h == 0 ? 1 : h;
        }
        return valueHash;
    }
}
