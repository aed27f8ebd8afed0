package dev.fedlora.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Runs that are replicates of one experiment: the same resolved config except the seed, the name
 * and the output folder (the same {@link RunFolderReader#replicateKey()}). A run without a config.conf
 * is a group of its own.
 *
 * @param label the legend and table label: a lone run's experiment name; for replicates, their
 *     shared name without the seed suffix ({@code -seed7}, {@code -7})
 * @param key the replicate key, or {@code null} for a lone run without config
 * @param runs in the order given, at least one
 */
public record RunGroup(String label, String key, List<RunFolderReader> runs) {
    private static final int KEY_PREFIX = 8;

    public RunGroup {
        runs = List.copyOf(runs);
        if (runs.isEmpty()) throw new IllegalArgumentException("a group needs at least one run");
    }

    public boolean replicated() {
        return runs.size() > 1;
    }

    /** The seeds of the runs, in run order ({@code null} where unknown). */
    public List<Long> seeds() {
        return runs.stream().map(RunFolderReader::seed).toList();
    }

    public String strategy() {
        return runs.get(0).strategy();
    }

    /**
     * Groups runs by replicate key, in the order of each group's first run. Labels are unique:
     * where two groups would share one, the key's first digits are added.
     */
    public static List<RunGroup> of(List<RunFolderReader> runs) {
        Map<Object, List<RunFolderReader>> byKey = new LinkedHashMap<>();
        for (RunFolderReader run : runs) {
            Object key = run.replicateKey() != null ? run.replicateKey() : run;
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(run);
        }
        List<String> loneLabels = ReportCommand.labels(runs);
        Map<RunFolderReader, String> loneLabel = new HashMap<>();
        for (int i = 0; i < runs.size(); i++) loneLabel.putIfAbsent(runs.get(i), loneLabels.get(i));

        List<RunGroup> groups = new ArrayList<>();
        for (List<RunFolderReader> members : byKey.values()) {
            String label = members.size() == 1 ? loneLabel.get(members.get(0)) : sharedName(members);
            groups.add(new RunGroup(label, members.get(0).replicateKey(), members));
        }
        return uniqueLabels(groups);
    }

    /** The experiment name without its seed suffix, shared by all members, else their common prefix. */
    static String sharedName(List<RunFolderReader> members) {
        Set<String> names = new TreeSet<>();
        for (RunFolderReader run : members) names.add(withoutSeed(run.experiment(), run.seed()));
        if (names.size() == 1) return names.iterator().next();
        String first = names.iterator().next();
        String prefix = first;
        for (String name : names) {
            int i = 0;
            while (i < prefix.length() && i < name.length() && prefix.charAt(i) == name.charAt(i)) i++;
            prefix = prefix.substring(0, i);
        }
        prefix = prefix.replaceAll("[-_.]+$", "");
        return prefix.isEmpty() ? first : prefix;
    }

    /** {@code name-seed7} or {@code name-7} (seed 7) is {@code name}; other names are kept. */
    static String withoutSeed(String name, Long seed) {
        if (seed == null) return name;
        String stripped = name.replaceFirst("-(seed)?" + Pattern.quote(Long.toString(seed)) + "$", "");
        return stripped.isEmpty() ? name : stripped;
    }

    private static List<RunGroup> uniqueLabels(List<RunGroup> groups) {
        Map<String, Integer> count = new HashMap<>();
        for (RunGroup g : groups) count.merge(g.label(), 1, Integer::sum);
        List<RunGroup> out = new ArrayList<>();
        for (RunGroup g : groups) {
            boolean clash = count.get(g.label()) > 1 && g.key() != null;
            out.add(clash ? new RunGroup(g.label() + " [" + g.key().substring(0, KEY_PREFIX) + "]", g.key(), g.runs())
                    : g);
        }
        return out;
    }

    /**
     * The settings whose values differ between groups (each group's first run), as key to the
     * value in each group; groups without a config show {@code null}.
     */
    public static Map<String, List<String>> differingSettings(List<RunGroup> groups) {
        Set<String> keys = new TreeSet<>();
        for (RunGroup g : groups) keys.addAll(g.runs().get(0).settings().keySet());
        Map<String, List<String>> differing = new TreeMap<>();
        for (String key : keys) {
            List<String> values = groups.stream().map(g -> g.runs().get(0).settings().get(key)).toList();
            if (values.stream().distinct().count() > 1) differing.put(key, values);
        }
        return differing;
    }
}
