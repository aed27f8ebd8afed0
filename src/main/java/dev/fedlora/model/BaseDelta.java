package dev.fedlora.model;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * What a strategy has merged into the frozen base so far (FLoRA): per LoRA target name a dense
 * out x in delta {@code D_t}, row-major. {@link #applyTo} gives the model with {@code W_t + D_t};
 * the merged model is built once per (delta, original) pair in a JVM and shared by every client and
 * the evaluation there, and held only while both are.
 */
public final class BaseDelta implements Serializable {
    private static final long serialVersionUID = 2L;
    public static final BaseDelta NONE = new BaseDelta(Map.of());

    private final Map<String, float[]> perTarget;
    private transient Map<AdaptableModel, AdaptableModel> merged;

    /** @param perTarget the delta of each target by name, in layout order (arrays not copied) */
    public BaseDelta(Map<String, float[]> perTarget) {
        this.perTarget = Collections.unmodifiableMap(new LinkedHashMap<>(perTarget));
    }

    public boolean isNone() {
        return perTarget.isEmpty();
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
        return merged.computeIfAbsent(original, m -> m.merged(this));
    }
}
