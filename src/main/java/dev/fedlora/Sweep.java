package dev.fedlora;

import dev.fedlora.config.ConfigError;
import dev.fedlora.config.ConfigLoader;
import java.util.ArrayList;
import java.util.List;

/**
 * Expands {@code --sweep key=v1,v2} options, and {@code --seeds N}, into one override list per
 * experiment (the cross product, seeds innermost). Each variant's {@code experiment.name} gets one
 * suffix per axis: {@code -<value>} for a sweep, {@code -seed<seed>} for a replicate.
 */
final class Sweep {
    static final String SEED_KEY = "experiment.seed";

    /** One axis of the cross product: a config key, its values and the folder-name suffix of each. */
    private record Axis(String key, List<String> values, List<String> suffixes) {}

    private Sweep() {}

    static List<List<String>> expand(String configFile, List<String> overrides, List<String> sweeps) {
        return expand(configFile, overrides, sweeps, 0);
    }

    /**
     * @param seeds replicates per variant: seeds {@code s, s+1, ..., s+seeds-1} where {@code s} is the
     *     config's {@code experiment.seed}; 0 runs each variant once, with its own seed and name
     * @throws ConfigError for a malformed sweep, a negative count, or {@code --seeds} together with a
     *     sweep of {@code experiment.seed}
     */
    static List<List<String>> expand(String configFile, List<String> overrides, List<String> sweeps, int seeds) {
        if (seeds < 0) throw new ConfigError("--seeds must be >= 1 (replicates per variant), found " + seeds);
        List<Axis> axes = new ArrayList<>();
        for (String sweep : sweeps) axes.add(sweepAxis(sweep, seeds));
        List<List<String>> variants = new ArrayList<>();
        variants.add(new ArrayList<>(overrides));
        if (axes.isEmpty() && seeds == 0) return variants;
        var base = ConfigLoader.resolve(configFile, overrides);
        if (seeds > 0) axes.add(seedAxis(base.getLong(SEED_KEY), seeds));

        List<String> suffixes = new ArrayList<>(List.of(""));
        for (Axis axis : axes) {
            List<List<String>> next = new ArrayList<>();
            List<String> nextSuffixes = new ArrayList<>();
            for (int i = 0; i < variants.size(); i++) {
                for (int v = 0; v < axis.values().size(); v++) {
                    List<String> o = new ArrayList<>(variants.get(i));
                    o.add(axis.key() + "=" + axis.values().get(v));
                    next.add(o);
                    nextSuffixes.add(suffixes.get(i) + "-" + axis.suffixes().get(v));
                }
            }
            variants = next;
            suffixes = nextSuffixes;
        }
        String baseName = base.getString("experiment.name");
        for (int i = 0; i < variants.size(); i++) {
            variants.get(i).add("experiment.name=\"" + baseName + suffixes.get(i) + "\"");
        }
        return variants;
    }

    private static Axis sweepAxis(String sweep, int seeds) {
        int eq = sweep.indexOf('=');
        if (eq <= 0 || eq == sweep.length() - 1) {
            throw new ConfigError("--sweep " + sweep + " must look like key=value1,value2");
        }
        String key = sweep.substring(0, eq).trim();
        if (seeds > 0 && key.equals(SEED_KEY)) {
            throw new ConfigError("--sweep " + sweep + " and --seeds " + seeds + " both set " + SEED_KEY
                    + ": use one of them");
        }
        List<String> values = new ArrayList<>();
        List<String> suffixes = new ArrayList<>();
        for (String v : sweep.substring(eq + 1).split(",")) {
            values.add(v.trim());
            suffixes.add(v.trim().replaceAll("[^A-Za-z0-9._-]", "_"));
        }
        return new Axis(key, values, suffixes);
    }

    private static Axis seedAxis(long first, int count) {
        List<String> values = new ArrayList<>();
        List<String> suffixes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            values.add(Long.toString(first + i));
            suffixes.add("seed" + (first + i));
        }
        return new Axis(SEED_KEY, values, suffixes);
    }
}
