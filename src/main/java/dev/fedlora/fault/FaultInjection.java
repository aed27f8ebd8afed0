package dev.fedlora.fault;

import dev.fedlora.config.FaultConfig;
import dev.fedlora.model.Adapter;
import dev.fedlora.random.Seeds;
import java.util.Arrays;

/**
 * Which injected fault (if any) hits a sampled client in a round: a seeded draw from
 * (seed, round, client), so a retried task injects the same fault.
 */
public final class FaultInjection {
    /** What happens to one client's update. */
    public enum Fault { NONE, NAN, HUGE_NORM, DROPOUT }

    static final float HUGE_FACTOR = 1e4f;

    private FaultInjection() {}

    /** The fault of {@code client} in {@code round}, drawn from the seed of {@code (seed, FAULTS, round, client)}. */
    public static Fault pick(FaultConfig f, long seed, int round, int client) {
        if (f.none()) return Fault.NONE;
        double u = Seeds.uniform(seed, Seeds.Purpose.FAULTS, round, client);
        if (u < f.nanFraction()) return Fault.NAN;
        if (u < f.nanFraction() + f.hugeNormFraction()) return Fault.HUGE_NORM;
        if (u < f.nanFraction() + f.hugeNormFraction() + f.dropoutFraction()) return Fault.DROPOUT;
        return Fault.NONE;
    }

    /** Whether {@code client} reports late in {@code round}, drawn independently of {@link #pick}. */
    public static boolean straggles(FaultConfig f, long seed, int round, int client) {
        return f.stragglerFraction() > 0
                && Seeds.uniform(seed, Seeds.Purpose.FAULTS, round, client, 1) < f.stragglerFraction();
    }

    /** The trained adapter as the faulty client sends it. */
    public static Adapter corrupt(Fault fault, Adapter start, Adapter trained) {
        if (fault != Fault.NAN && fault != Fault.HUGE_NORM) return trained;
        float[] s = start.flatten();
        float[] t = trained.flatten();
        switch (fault) {
            case NAN -> Arrays.fill(t, Float.NaN);
            case HUGE_NORM -> {
                for (int i = 0; i < t.length; i++) t[i] = s[i] + HUGE_FACTOR * (t[i] - s[i]);
            }
            default -> throw new IllegalStateException("no corruption for " + fault);
        }
        return Adapter.unflatten(trained.layout, trained.rank, t);
    }
}
