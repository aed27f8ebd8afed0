package dev.fedlora.pretrain;

/**
 * A learning-rate schedule: linear warm-up to {@code peak}, then cosine decay to {@code floor} at
 * the last step. For step {@code s} counted from 0 of {@code total}:
 * <pre>
 *   s &lt; warmup:   peak * (s + 1) / warmup
 *   otherwise:    floor + (peak - floor) (1 + cos(pi q)) / 2,   q = (s - warmup) / max(1, total - 1 - warmup)
 * </pre>
 * so the first step already moves, the step at {@code warmup} has the peak and step {@code total - 1}
 * the floor.
 */
public record WarmupCosine(double peak, double floor, int warmup, int total) {
    /** @throws IllegalArgumentException for negative rates, floor above peak, or warmup outside [0, total] */
    public WarmupCosine {
        if (!(peak >= 0 && Double.isFinite(peak))) throw new IllegalArgumentException("peak rate must be >= 0, found " + peak);
        if (!(floor >= 0 && floor <= peak)) {
            throw new IllegalArgumentException("floor rate must be in [0, peak=" + peak + "], found " + floor);
        }
        if (total < 1) throw new IllegalArgumentException("total steps must be >= 1, found " + total);
        if (warmup < 0 || warmup > total) {
            throw new IllegalArgumentException("warm-up steps must be in [0, total=" + total + "], found " + warmup);
        }
    }

    /** The rate of step {@code s} (0-based). */
    public double rate(int s) {
        if (s < warmup) return peak * (s + 1) / warmup;
        double q = Math.min(1.0, (double) (s - warmup) / Math.max(1, total - 1 - warmup));
        return floor + (peak - floor) * 0.5 * (1 + Math.cos(Math.PI * q));
    }
}
