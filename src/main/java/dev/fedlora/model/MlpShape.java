package dev.fedlora.model;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Layer widths of the MLP: {@code sizes[0]} inputs, hidden layers {@code sizes[1..L]} (each with a
 * LoRA adapter on the weight that produces it), and a head of {@code sizes[L+1]} classes.
 */
public final class MlpShape implements Serializable {
    private static final long serialVersionUID = 1L;
    private final int[] sizes;

    public MlpShape(int... sizes) {
        if (sizes.length < 3) {
            throw new IllegalArgumentException("a model needs inputs, at least one hidden layer and a head, found sizes "
                    + Arrays.toString(sizes));
        }
        for (int s : sizes) {
            if (s < 1) throw new IllegalArgumentException("layer sizes must be >= 1, found " + Arrays.toString(sizes));
        }
        this.sizes = sizes.clone();
    }

    /** Number of adapted (hidden) layers. */
    public int adaptedLayers() { return sizes.length - 2; }
    public int in(int layer) { return sizes[layer]; }
    public int out(int layer) { return sizes[layer + 1]; }
    public int inputs() { return sizes[0]; }
    public int lastHidden() { return sizes[sizes.length - 2]; }
    public int classes() { return sizes[sizes.length - 1]; }
    public int[] sizes() { return sizes.clone(); }

    /** The largest rank any adapter can have: the narrowest adapted layer's min(in, out). */
    public int maxRank() {
        int m = Integer.MAX_VALUE;
        for (int l = 0; l < adaptedLayers(); l++) m = Math.min(m, Math.min(in(l), out(l)));
        return m;
    }

    /** Values in one rank slot across all adapters (a row of every A plus a column of every B). */
    public int valuesPerRankSlot() {
        int v = 0;
        for (int l = 0; l < adaptedLayers(); l++) v += in(l) + out(l);
        return v;
    }

    public int headValues() { return classes() * lastHidden() + classes(); }

    @Override public boolean equals(Object o) {
        return o instanceof MlpShape m && Arrays.equals(sizes, m.sizes);
    }
    @Override public int hashCode() { return Arrays.hashCode(sizes); }
    @Override public String toString() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < sizes.length; i++) b.append(i == 0 ? "" : "-").append(sizes[i]);
        return b.toString();
    }
}
