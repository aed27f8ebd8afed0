package dev.fedlora.model;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Chooses LoRA targets by name, as PEFT's {@code target_modules} does. An entry matches a module
 * name when
 * <ol>
 *   <li>it equals the name ({@code layers.3.attn.q}), or</li>
 *   <li>it equals a dot-suffix of the name ({@code q}, {@code attn.q} and {@code 3.attn.q} all match
 *       {@code layers.3.attn.q}; {@code attn} does not, nor does {@code .q}), or</li>
 *   <li>it contains a regular-expression metacharacter other than the dot, one of
 *       {@code \ ^ $ | ? * + ( ) [ ] {} }, and as a {@link Pattern} matches the whole name
 *       ({@code layers\.[01]\.attn\.(q|v)}). A dot alone does not make an entry an expression,
 *       since every name is dotted.</li>
 * </ol>
 * The selection is every name some entry matches, in the model's order, each once.
 */
public final class TargetPatterns {
    private static final String METACHARACTERS = "\\^$|?*+()[]{}";

    private TargetPatterns() {}

    /**
     * The names of {@code available} selected by {@code patterns}, in {@code available}'s order.
     *
     * @param key the config key the patterns come from, for messages
     * @throws IllegalArgumentException if an entry is blank, not a valid expression or selects
     *     nothing, naming it (and, for the last, the names there are)
     */
    public static List<String> select(String key, List<String> available, List<String> patterns) {
        boolean[] chosen = new boolean[available.size()];
        for (int p = 0; p < patterns.size(); p++) {
            String pattern = patterns.get(p);
            if (pattern == null || pattern.isBlank()) {
                throw new IllegalArgumentException(key + " entry #" + p + " is blank, in " + patterns);
            }
            Pattern regex = isRegex(pattern) ? compile(key, pattern) : null;
            boolean any = false;
            for (int i = 0; i < available.size(); i++) {
                if (matches(pattern, regex, available.get(i))) {
                    chosen[i] = true;
                    any = true;
                }
            }
            if (!any) {
                throw new IllegalArgumentException(key + " entry '" + pattern + "' matches no module; the model has: "
                        + String.join(", ", available));
            }
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < available.size(); i++) if (chosen[i]) out.add(available.get(i));
        return List.copyOf(out);
    }

    /** Whether one entry matches one name, by the rules above. */
    public static boolean matches(String pattern, String name) {
        return matches(pattern, isRegex(pattern) ? compile("pattern", pattern) : null, name);
    }

    private static boolean matches(String pattern, Pattern regex, String name) {
        if (name.equals(pattern)) return true;
        if (!pattern.startsWith(".") && name.endsWith("." + pattern)) return true;
        return regex != null && regex.matcher(name).matches();
    }

    private static boolean isRegex(String pattern) {
        for (int i = 0; i < pattern.length(); i++) {
            if (METACHARACTERS.indexOf(pattern.charAt(i)) >= 0) return true;
        }
        return false;
    }

    private static Pattern compile(String key, String pattern) {
        try {
            return Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(key + " entry '" + pattern + "' is not a valid regular expression: "
                    + e.getDescription(), e);
        }
    }
}
