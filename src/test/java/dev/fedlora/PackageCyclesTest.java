package dev.fedlora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages of the main sources form no cycle. Each package is a node (a subpackage such as
 * {@code strategy.flasc} is a node of its own, not part of {@code strategy}); a source file in
 * package {@code p} that imports {@code dev.fedlora.q...} or names a class {@code dev.fedlora.q.X}
 * in its code (comments and string literals aside) is an edge {@code p -> q}.
 */
class PackageCyclesTest {
    private static final Path MAIN = Path.of("src/main/java");
    private static final String ROOT = "dev.fedlora";
    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    /** A qualified name: its lower-case package segments (the group), then an upper-case class name. */
    private static final Pattern QUALIFIED = Pattern.compile("\\bdev\\.fedlora((?:\\.[a-z_][\\w]*)*)\\.[A-Z]");

    private static final Graph MAIN_GRAPH = Graph.of(MAIN);

    @Test
    void theMainPackagesFormNoCycle() {
        List<List<String>> cycles = MAIN_GRAPH.cycles();
        if (!cycles.isEmpty()) {
            StringBuilder message = new StringBuilder("package cycles:");
            for (List<String> cycle : cycles) message.append("\n  ").append(String.join(" -> ", cycle));
            fail(message.toString());
        }
    }

    @Test
    void metricsAndEngineDependOneWay() {
        assertNoPath("metrics", "engine");
    }

    @Test
    void configDependsOnNeitherClientsNorRankPolicies() {
        assertNoPath("config", "client");
        assertNoPath("config", "ranks.policies");
        assertNoPath("client", "ranks.policies");
    }

    @Test
    void theStrategyContractKnowsNoFamilyAndNoFamilyAnother() {
        Set<String> families = new TreeSet<>();
        for (String p : MAIN_GRAPH.packages()) {
            if (p.startsWith("strategy.") && !p.equals("strategy.registry")) families.add(p);
        }
        assertTrue(families.size() >= 6, "strategy families found: " + families);
        for (String family : families) {
            assertNoPath("strategy", family);
            for (String other : families) if (!other.equals(family)) assertNoPath(family, other);
        }
    }

    /** The graph is read, not empty: the edges everyone knows are there. */
    @Test
    void theGraphHoldsTheKnownEdges() {
        assertTrue(MAIN_GRAPH.dependsOn("engine", "strategy"), "engine -> strategy");
        assertTrue(MAIN_GRAPH.dependsOn("strategy.flasc", "strategy"), "strategy.flasc -> strategy");
        assertTrue(MAIN_GRAPH.dependsOn("config", "ranks"), "config -> ranks");
        assertTrue(MAIN_GRAPH.dependsOn(ROOT, "engine"), ROOT + " -> engine (Main)");
    }

    @Test
    void aCycleIsNamedNodeByNode() {
        Graph g = new Graph();
        g.add("a", "b");
        g.add("b", "c");
        g.add("c", "a");
        g.add("c", "d");
        g.add("x", "y");
        assertEquals(List.of(List.of("a", "b", "c", "a")), g.cycles());
        assertEquals(Optional.of(List.of("a", "b", "c", "d")), g.path("a", "d"));
        assertEquals(Optional.empty(), g.path("d", "a"));
    }

    @Test
    void commentsAndStringsAreNoDependency() {
        assertEquals(Set.of("comm", "model"), Graph.references("""
                package dev.fedlora.x;
                import dev.fedlora.comm.Payload;
                /** See {@link dev.fedlora.engine.FederatedRun}. */
                class A {
                    String s = "dev.fedlora.report.RunFolderReader"; // dev.fedlora.metrics.MetricsRow
                    Object o = dev.fedlora.model.Adapter.class;
                }
                """));
    }

    private static void assertNoPath(String from, String to) {
        MAIN_GRAPH.path(from, to).ifPresent(p -> fail(from + " must not depend on " + to + ", but " + String.join(" -> ", p)));
    }

    /** Packages (without the {@code dev.fedlora.} prefix; the root package as {@code dev.fedlora}) and their dependencies. */
    static final class Graph {
        private final Map<String, Set<String>> edges = new TreeMap<>();

        static Graph of(Path sources) {
            Graph g = new Graph();
            try (Stream<Path> files = Files.walk(sources)) {
                for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                    String text = Files.readString(f);
                    Matcher pkg = PACKAGE.matcher(text);
                    if (!pkg.find() || !(pkg.group(1) + ".").startsWith(ROOT + ".")) continue;
                    String from = shortName(pkg.group(1));
                    g.edges.computeIfAbsent(from, k -> new TreeSet<>());
                    for (String to : references(text)) if (!to.equals(from)) g.add(from, to);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            assertTrue(g.edges.size() > 10, "packages found under " + sources.toAbsolutePath() + ": " + g.edges.keySet());
            return g;
        }

        /** The packages a source file's code names, its own included. */
        static Set<String> references(String source) {
            String code = codeOnly(source);
            Set<String> packages = new TreeSet<>();
            Matcher m = QUALIFIED.matcher(code);
            while (m.find()) packages.add(m.group(1).isEmpty() ? ROOT : m.group(1).substring(1));
            return packages;
        }

        /** {@code source} with comments and string and character literals blanked out. */
        static String codeOnly(String source) {
            StringBuilder out = new StringBuilder(source.length());
            int i = 0;
            int n = source.length();
            while (i < n) {
                int end;
                if (source.startsWith("//", i)) {
                    end = source.indexOf('\n', i);
                    end = end < 0 ? n : end;
                } else if (source.startsWith("/*", i)) {
                    end = source.indexOf("*/", i + 2);
                    end = end < 0 ? n : end + 2;
                } else if (source.startsWith("\"\"\"", i)) {
                    end = source.indexOf("\"\"\"", i + 3);
                    end = end < 0 ? n : end + 3;
                } else if (source.charAt(i) == '"' || source.charAt(i) == '\'') {
                    char quote = source.charAt(i);
                    end = i + 1;
                    while (end < n && source.charAt(end) != quote) end += source.charAt(end) == '\\' ? 2 : 1;
                    end = Math.min(n, end + 1);
                } else {
                    out.append(source.charAt(i++));
                    continue;
                }
                for (int k = i; k < end; k++) out.append(source.charAt(k) == '\n' ? '\n' : ' ');
                i = end;
            }
            return out.toString();
        }

        private static String shortName(String javaPackage) {
            return javaPackage.equals(ROOT) ? ROOT : javaPackage.substring(ROOT.length() + 1);
        }

        void add(String from, String to) {
            edges.computeIfAbsent(from, k -> new TreeSet<>()).add(to);
            edges.computeIfAbsent(to, k -> new TreeSet<>());
        }

        Set<String> packages() {
            return edges.keySet();
        }

        boolean dependsOn(String from, String to) {
            return edges.getOrDefault(from, Set.of()).contains(to);
        }

        /** A shortest dependency path from {@code from} to {@code to}, both included. */
        Optional<List<String>> path(String from, String to) {
            Map<String, String> reachedFrom = new HashMap<>();
            Deque<String> queue = new ArrayDeque<>(List.of(from));
            reachedFrom.put(from, null);
            while (!queue.isEmpty()) {
                String p = queue.removeFirst();
                for (String q : edges.getOrDefault(p, Set.of())) {
                    if (reachedFrom.containsKey(q)) continue;
                    reachedFrom.put(q, p);
                    if (q.equals(to)) {
                        List<String> path = new ArrayList<>();
                        for (String s = q; s != null; s = reachedFrom.get(s)) path.add(0, s);
                        return Optional.of(path);
                    }
                    queue.addLast(q);
                }
            }
            return Optional.empty();
        }

        /**
         * One cycle through each group of mutually dependent packages (a strongly connected
         * component of more than one package), first package repeated at the end.
         */
        List<List<String>> cycles() {
            List<List<String>> cycles = new ArrayList<>();
            Set<String> seen = new TreeSet<>();
            for (String p : edges.keySet()) {
                if (seen.contains(p)) continue;
                Set<String> group = new TreeSet<>();
                for (String q : edges.keySet()) {
                    if (q.equals(p) || (path(p, q).isPresent() && path(q, p).isPresent())) group.add(q);
                }
                seen.addAll(group);
                if (group.size() < 2) continue;
                String next = edges.get(p).stream().filter(group::contains).findFirst().orElseThrow();
                List<String> cycle = new ArrayList<>(List.of(p));
                cycle.addAll(path(next, p).orElseThrow());
                cycles.add(cycle);
            }
            return cycles;
        }
    }
}
