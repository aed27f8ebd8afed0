package dev.fedlora.model;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What an adapter is made of, independent of any model: an ordered list of named
 * {@link LoraTarget}s and an ordered list of named {@link DenseTensor}s, plus how {@code A} starts.
 * Strategies, communication and byte counts see a model only through this.
 *
 * <p>The one flattening order of an adapter's values (used by FLASC's global top-k, sparse
 * payloads and checksums): for each target in order its {@code A} then its {@code B}, then each
 * dense tensor in order.
 */
public final class AdapterLayout implements Serializable {
    private static final long serialVersionUID = 1L;

    private final List<LoraTarget> targets;
    private final List<DenseTensor> dense;
    private final LoraInit init;

    private AdapterLayout(List<LoraTarget> targets, List<DenseTensor> dense, LoraInit init) {
        if (targets.isEmpty()) throw new IllegalArgumentException("an adapter needs at least one LoRA target");
        this.targets = List.copyOf(targets);
        this.dense = List.copyOf(dense);
        this.init = init;
    }

    /** Builds a layout target by target and tensor by tensor, in flattening order. */
    public static Builder builder(LoraInit init) {
        return new Builder(init);
    }

    /** An incremental {@link AdapterLayout}. */
    public static final class Builder {
        private final LoraInit init;
        private final List<LoraTarget> targets = new ArrayList<>();
        private final List<DenseTensor> dense = new ArrayList<>();

        private Builder(LoraInit init) {
            this.init = Objects.requireNonNull(init);
        }

        public Builder target(String name, int in, int out) {
            checkNew(name);
            targets.add(new LoraTarget(name, targets.size(), in, out));
            return this;
        }

        public Builder dense(String name, int rows, int cols, DenseTensor.Init start) {
            checkNew(name);
            dense.add(new DenseTensor(name, dense.size(), rows, cols, start));
            return this;
        }

        private void checkNew(String name) {
            for (LoraTarget t : targets) {
                if (t.name().equals(name)) throw new IllegalArgumentException("adapter tensor " + name + " named twice");
            }
            for (DenseTensor d : dense) {
                if (d.name().equals(name)) throw new IllegalArgumentException("adapter tensor " + name + " named twice");
            }
        }

        public AdapterLayout build() {
            return new AdapterLayout(targets, dense, init);
        }
    }

    public List<LoraTarget> targets() { return targets; }
    public List<DenseTensor> dense() { return dense; }
    public LoraInit init() { return init; }

    /** The target called {@code name}. @throws IllegalArgumentException if there is none */
    public LoraTarget target(String name) {
        for (LoraTarget t : targets) if (t.name().equals(name)) return t;
        throw new IllegalArgumentException("no LoRA target " + name + " in " + targetNames());
    }

    public List<String> targetNames() {
        return targets.stream().map(LoraTarget::name).toList();
    }

    /** The largest rank any adapter can have: the narrowest target's min(in, out). */
    public int maxRank() {
        int m = Integer.MAX_VALUE;
        for (LoraTarget t : targets) m = Math.min(m, t.maxRank());
        return m;
    }

    /** Values in one rank slot across all targets (a row of every A plus a column of every B). */
    public int valuesPerRankSlot() {
        int v = 0;
        for (LoraTarget t : targets) v += t.valuesPerRankSlot();
        return v;
    }

    /** Values of every dense tensor together. */
    public int denseValues() {
        int v = 0;
        for (DenseTensor d : dense) v += d.size();
        return v;
    }

    /** Values of an adapter of rank {@code r}. */
    public long values(int rank) {
        return (long) rank * valuesPerRankSlot() + denseValues();
    }

    @Override public boolean equals(Object o) {
        return o instanceof AdapterLayout l && targets.equals(l.targets) && dense.equals(l.dense) && init == l.init;
    }
    @Override public int hashCode() { return Objects.hash(targets, dense, init); }

    @Override public String toString() {
        StringBuilder b = new StringBuilder();
        for (LoraTarget t : targets) b.append(b.length() == 0 ? "" : ", ").append(t.name()).append(' ').append(t.out()).append('x').append(t.in());
        for (DenseTensor d : dense) b.append(", ").append(d.name()).append(' ').append(d.rows()).append(d.cols() == 0 ? "" : "x" + d.cols());
        return b.toString();
    }
}
