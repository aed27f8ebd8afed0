package dev.fedlora.strategy.rolora;

import dev.fedlora.model.Adapter;
import dev.fedlora.model.LoraTarget;

/** The LoRA factor a RoLoRA round trains: {@code B} in odd rounds, {@code A} in even ones. */
public enum Factor {
    A,
    B;

    /** {@code B} when {@code round} is odd, {@code A} when it is even. */
    public static Factor trainedIn(int round) {
        return Math.floorMod(round, 2) == 1 ? B : A;
    }

    /** This factor of target {@code t} in {@code p} (not copied): {@code A} r x in, {@code B} out x r, row-major. */
    float[] of(Adapter p, LoraTarget t) {
        return this == A ? p.a(t) : p.b(t);
    }

    /** Values of one rank slot of this factor of {@code t}: a row of {@code A} ({@code in}) or a column of {@code B} ({@code out}). */
    int valuesPerSlot(LoraTarget t) {
        return this == A ? t.in() : t.out();
    }
}
