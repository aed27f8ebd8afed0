package dev.fedlora.model;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Chooses LoRA targets by name, as PEFT's {@code target_modules} does: an entry selects a module
 * whose name equals it or ends with {@code "." + entry} (so {@code q} and {@code attn.q} select
 * {@code layers.3.attn.q}), or, when the entry holds a regular-expression character, whose whole
 * name the expression matches.
 */
public final class TargetPatterns {
    private static final Pattern REGEX_CHARS = Pattern.compile("[\\\\^$*+?()\\[\\]{}|]");

    private TargetPatterns() {}

    /**
     * The names of {@code available} selected by {@code patterns}, in {@code available}'s order.
     *
     * @param key the config key the patterns come from, for messages
     * @throws IllegalArgumentException if an entry selects nothing or is not a valid expression,
     *     naming it and the names there are
     */
    public static List<String> select(String key, List<String> available, List<String> patterns) {
        Set<String> chosen = new LinkedHashSet<>();
        for (String p : patterns) {
            List<String> hits = new ArrayList<>();
            for (String name : available) if (matches(key, p, name)) hits.add(name);
            if (hits.isEmpty()) {
                throw new IllegalArgumentException(key + " entry '" + p + "' matches no module; the model has: "
                        + String.join(", ", available));
            }
            chosen.addAll(hits);
        }
        List<String> ordered = new ArrayList<>();
        for (String name : available) if (chosen.contains(name)) ordered.add(name);
        return ordered;
    }

    static boolean matches(String key, String pattern, String name) {
        if (REGEX_CHARS.matcher(pattern).find()) {
            try {
                return Pattern.compile(pattern).matcher(name).matches();
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(key + " entry '" + pattern + "' is not a valid regular expression: "
                        + e.getDescription());
            }
        }
        return name.equals(pattern) || name.endsWith("." + pattern);
    }
}
