package dev.fedlora.strategy;

import dev.fedlora.model.Adapter;
import dev.fedlora.model.LoraTarget;

/** One of a LoRA target's two factors: what RoLoRA trains in a round, what FedSA-LoRA shares. */
public enum Factor {
    A,
    B;


    /** This factor of target {@code t} in {@code p} (not copied): {@code A} r x in, {@code B} out x r, row-major. */
    public float[] of(Adapter p, LoraTarget t) {
        return this == A ? p.a(t) : p.b(t);
    }

    /** Values of one rank slot of this factor of {@code t}: a row of {@code A} ({@code in}) or a column of {@code B} ({@code out}). */
    public int valuesPerSlot(LoraTarget t) {
        return this == A ? t.in() : t.out();
    }
}
