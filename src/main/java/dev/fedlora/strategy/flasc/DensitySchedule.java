package dev.fedlora.strategy.flasc;

import dev.fedlora.comm.TopK;
import java.io.Serializable;
import java.util.Locale;

/**
 * A density per round, from {@code initial} in round 1 to {@code last} in round {@code rounds}:
 * with progress {@code p = (t - 1) / (rounds - 1)} (0 when {@code rounds <= 1}; held in [0, 1]
 * outside rounds 1..rounds),
 * <ul>
 *   <li>{@code CONSTANT}: {@code d(t) = initial} ({@code last} is not used);</li>
 *   <li>{@code LINEAR}: {@code d(t) = (1 - p) initial + p last};</li>
 *   <li>{@code COSINE}: {@code d(t) = c initial + (1 - c) last}, {@code c = (1 + cos(pi p)) / 2}.</li>
 * </ul>
 */
public record DensitySchedule(Shape shape, double initial, double last, int rounds) implements Serializable {
    public enum Shape {
        CONSTANT, LINEAR, COSINE;

        /** The shape called {@code name} in a config ({@code constant}, {@code linear}, {@code cosine}). */
        public static Shape named(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
    }

    /** @throws IllegalArgumentException if a density is outside (0, 1] or {@code rounds} is negative */
    public DensitySchedule {
        TopK.count(initial, 1);
        TopK.count(last, 1);
        if (rounds < 0) throw new IllegalArgumentException("rounds must be >= 0, found " + rounds);
    }

    public static DensitySchedule constant(double density) {
        return new DensitySchedule(Shape.CONSTANT, density, density, 0);
    }

    /** True when every round gets {@code initial}. */
    public boolean isConstant() {
        return shape == Shape.CONSTANT || initial == last;
    }

    /** The density of round {@code round} (rounds count from 1). */
    public double at(int round) {
        if (shape == Shape.CONSTANT) return initial;
        double p = rounds <= 1 ? 0 : Math.min(1, Math.max(0, (round - 1) / (double) (rounds - 1)));
        double c = shape == Shape.LINEAR ? 1 - p : (1 + Math.cos(Math.PI * p)) / 2;
        return c * initial + (1 - c) * last;
    }
}
