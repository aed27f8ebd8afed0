package dev.fedlora;

import dev.fedlora.config.ConfigError;
import dev.fedlora.config.ConfigLoader;
import java.util.ArrayList;
import java.util.List;

/** Expands {@code --sweep key=v1,v2} options into one override list per experiment (the cross product). */
final class Sweep {
    private Sweep() {}

    static List<List<String>> expand(String configFile, List<String> overrides, List<String> sweeps) {
        List<List<String>> variants = new ArrayList<>();
        variants.add(new ArrayList<>(overrides));
        if (sweeps.isEmpty()) return variants;
        String baseName = ConfigLoader.resolve(configFile, overrides).getString("experiment.name");
        List<String> suffixes = new ArrayList<>(List.of(""));
        for (String sweep : sweeps) {
            int eq = sweep.indexOf('=');
            if (eq <= 0 || eq == sweep.length() - 1) {
                throw new ConfigError("--sweep " + sweep + " must look like key=value1,value2");
            }
            String key = sweep.substring(0, eq);
            String[] values = sweep.substring(eq + 1).split(",");
            List<List<String>> next = new ArrayList<>();
            List<String> nextSuffixes = new ArrayList<>();
            for (int i = 0; i < variants.size(); i++) {
                for (String v : values) {
                    List<String> o = new ArrayList<>(variants.get(i));
                    o.add(key + "=" + v.trim());
                    next.add(o);
                    nextSuffixes.add(suffixes.get(i) + "-" + v.trim().replaceAll("[^A-Za-z0-9._-]", "_"));
                }
            }
            variants = next;
            suffixes = nextSuffixes;
        }
        for (int i = 0; i < variants.size(); i++) variants.get(i).add("experiment.name=\"" + baseName + suffixes.get(i) + "\"");
        return variants;
    }
}
