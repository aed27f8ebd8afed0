package dev.fedlora.model.transformer;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which linear layers carry a LoRA adapter, chosen as PEFT's {@code target_modules} list chooses
 * modules. An entry matches a layer name when
 * <ol>
 *   <li>it equals the name ({@code layers.3.attn.q}), or</li>
 *   <li>it equals a dot-suffix of the name ({@code q}, {@code attn.q} and {@code 3.attn.q} all
 *       match {@code layers.3.attn.q}; {@code attn} does not, nor does {@code .q}), or</li>
 *   <li>it contains a regular-expression metacharacter other than the dot, one of
 *       {@code \ ^ $ | ? * + ( ) [ ] {} }, and as a {@link Pattern} matches the whole name
 *       ({@code layers\.[01]\.attn\.(q|v)}). A dot alone does not make an entry a regular
 *       expression, since every name is dotted.</li>
 * </ol>
 * The result is every layer some entry matches, in the model's {@link TransformerBase#linearNames()
 * order}, each once.
 */
public final class TargetPatterns {
    /** The default targets: the query and value projections of every layer (LoRA's paper). */
    public static final List<String> DEFAULT = List.of("attn.q", "attn.v");

    private static final String METACHARACTERS = "\\^$|?*+()[]{}";

    private TargetPatterns() {}

    /**
     * @throws IllegalArgumentException if the list is empty, an entry is blank or an invalid
     *     regular expression, or an entry matches no name (the message names the entry and lists
     *     the available names)
     */
    public static List<String> resolve(List<String> patterns, List<String> names) {
        if (patterns == null || patterns.isEmpty()) {
            throw new IllegalArgumentException("target patterns are empty; give at least one, e.g. " + DEFAULT);
        }
        boolean[] chosen = new boolean[names.size()];
        for (int p = 0; p < patterns.size(); p++) {
            String pattern = patterns.get(p);
            if (pattern == null || pattern.isBlank()) {
                throw new IllegalArgumentException("target pattern #" + p + " is blank, in " + patterns);
            }
            Pattern regex = isRegex(pattern) ? compile(pattern) : null;
            boolean any = false;
            for (int i = 0; i < names.size(); i++) {
                if (matches(pattern, regex, names.get(i))) {
                    chosen[i] = true;
                    any = true;
                }
            }
            if (!any) {
                throw new IllegalArgumentException("target pattern '" + pattern + "' matches no linear layer; available: "
                        + String.join(", ", names));
            }
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) if (chosen[i]) out.add(names.get(i));
        return List.copyOf(out);
    }

    /** Whether one entry matches one name, by the rules above. */
    public static boolean matches(String pattern, String name) {
        return matches(pattern, isRegex(pattern) ? compile(pattern) : null, name);
    }

    private static boolean matches(String pattern, Pattern regex, String name) {
        if (name.equals(pattern)) return true;
        if (name.endsWith(pattern) && name.length() > pattern.length()
                && name.charAt(name.length() - pattern.length() - 1) == '.' && !pattern.startsWith(".")) {
            return true;
        }
        return regex != null && regex.matcher(name).matches();
    }

    private static boolean isRegex(String pattern) {
        for (int i = 0; i < pattern.length(); i++) {
            if (METACHARACTERS.indexOf(pattern.charAt(i)) >= 0) return true;
        }
        return false;
    }

    private static Pattern compile(String pattern) {
        try {
            return Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("target pattern '" + pattern + "' is not a valid regular expression: "
                    + e.getDescription(), e);
        }
    }
}
