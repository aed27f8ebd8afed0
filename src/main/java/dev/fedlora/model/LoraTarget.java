package dev.fedlora.model;

import java.io.Serializable;

/**
 * One linear map of the base model that carries a LoRA adapter: its name in the model (PEFT's
 * module name, e.g. {@code fc1} or {@code layers.0.attn.q}), its input and output widths, and its
 * position in the {@link AdapterLayout}. At rank {@code r} it holds {@code A} (r x in) and
 * {@code B} (out x r), row-major.
 */
public record LoraTarget(String name, int index, int in, int out) implements Serializable {
    public LoraTarget {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("LoRA target " + name + " needs in, out >= 1, found " + in + " x " + out);
        }
    }

    /** The largest rank this target can have. */
    public int maxRank() {
        return Math.min(in, out);
    }

    /** Values of one rank slot: a row of {@code A} plus a column of {@code B}. */
    public int valuesPerRankSlot() {
        return in + out;
    }
}
