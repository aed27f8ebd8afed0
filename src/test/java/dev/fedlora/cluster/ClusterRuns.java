package dev.fedlora.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the cluster tests share: running the job scripts as subprocesses (with the jar that
 * {@code mvn verify} just packaged), free local ports, and comparing two runs' outputs
 * (metrics rows without the timing columns, and the adapters' .npy files byte for byte).
 */
final class ClusterRuns {
    static final Path REPO = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    static final Path OUT = REPO.resolve("target/cluster-it");
    /** Where jobs/cluster.sh keeps the test clusters' pid files and logs (one folder per master port). */
    static final Path CLUSTER_STATE = OUT.resolve("cluster-state");
    /** Wall-clock measurements: the only columns allowed to differ between runs of one config. */
    static final Set<String> TIMING_COLUMNS = Set.of("round_seconds", "client_train_seconds");

    private ClusterRuns() {}

    /** A finished subprocess: its exit code and the file holding its stdout and stderr. */
    record Result(List<String> command, int exitCode, Path log) {
        String logText() {
            try {
                return Files.readString(log, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(cannot read " + log + ": " + e + ")";
            }
        }

        String tail(int lines) {
            List<String> all = logText().lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        }

        void assertSucceeded() {
            assertEquals(0, exitCode, () -> String.join(" ", command) + " exited with " + exitCode + "; log " + log
                    + ", its tail:\n" + tail(40));
        }
    }

    /** Starts a repo script ({@code jobs/...}) with its output going to {@code log}. */
    static Process start(Path log, List<String> command) {
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder pb = new ProcessBuilder(command).directory(REPO.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            // The jar `mvn verify` packaged is the one under test: no rebuild from inside the build.
            pb.environment().put("FEDLORA_SKIP_BUILD", "1");
            pb.environment().put("FEDLORA_DRIVER_MEMORY", "2g");
            pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
            pb.environment().put("FEDLORA_CLUSTER_DIR", CLUSTER_STATE.toString());
            return pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** Waits for a started process; on timeout it and its children are killed and the test fails. */
    static Result await(Process p, List<String> command, Path log, long timeoutSeconds) {
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                destroyTree(p);
                fail(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s; log " + log);
            }
            return new Result(command, p.exitValue(), log);
        } catch (InterruptedException e) {
            destroyTree(p);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + command, e);
        }
    }

    static Result run(Path log, long timeoutSeconds, List<String> command) {
        return await(start(log, command), command, log, timeoutSeconds);
    }

    static void destroyTree(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    /** {@code count} distinct ports that were free on 127.0.0.1 a moment ago. */
    static int[] freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) sockets.add(new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1")));
            return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket s : sockets) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing a listening socket we no longer need
                }
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) Files.delete(p);
        }
    }

    /** The metrics CSV of a run folder without the timing columns: header first, one line per round. */
    static List<List<String>> metricsWithoutTiming(Path runDir) throws IOException {
        Path csvDir = runDir.resolve("metrics.csv");
        List<Path> parts;
        try (Stream<Path> s = Files.list(csvDir)) {
            parts = s.filter(p -> p.getFileName().toString().matches("part-.*\\.csv")).sorted().toList();
        }
        assertTrue(!parts.isEmpty(), "no part-*.csv in " + csvDir);
        List<List<String>> rows = new ArrayList<>();
        for (Path part : parts) {
            List<String> lines = Files.readAllLines(part, StandardCharsets.UTF_8);
            for (int i = rows.isEmpty() ? 0 : 1; i < lines.size(); i++) rows.add(List.of(lines.get(i).split(",", -1)));
        }
        List<String> header = rows.get(0);
        assertTrue(header.contains("round_seconds"), "no round_seconds column in " + csvDir + ": " + header);
        List<List<String>> out = new ArrayList<>();
        for (List<String> row : rows) {
            List<String> kept = new ArrayList<>();
            for (int c = 0; c < row.size(); c++) if (!TIMING_COLUMNS.contains(header.get(c))) kept.add(row.get(c));
            out.add(kept);
        }
        return out;
    }

    /**
     * Asserts that two run folders hold the same metrics (every column but the timing ones) and
     * byte-identical adapters; a failure names every differing round and column, and for each
     * differing .npy file how many float32 values differ and by how much.
     */
    static void assertSameResults(String nameA, Path runA, String nameB, Path runB) throws IOException {
        List<String> problems = new ArrayList<>();
        List<List<String>> a = metricsWithoutTiming(runA);
        List<List<String>> b = metricsWithoutTiming(runB);
        List<String> header = a.get(0);
        if (!header.equals(b.get(0))) problems.add("metrics headers differ: " + header + " vs " + b.get(0));
        if (a.size() != b.size()) problems.add("metrics rows: " + (a.size() - 1) + " vs " + (b.size() - 1));
        for (int i = 1; i < Math.min(a.size(), b.size()); i++) {
            for (int c = 0; c < header.size(); c++) {
                String va = a.get(i).get(c), vb = b.get(i).get(c);
                if (!va.equals(vb)) {
                    problems.add("metrics row " + i + " (round " + a.get(i).get(header.indexOf("round")) + ") "
                            + header.get(c) + ": " + va + " vs " + vb);
                }
            }
        }
        problems.addAll(adapterDifferences(runA.resolve("adapters"), runB.resolve("adapters")));
        if (!problems.isEmpty()) {
            fail(nameA + " (" + runA + ") and " + nameB + " (" + runB + ") differ in " + problems.size()
                    + " places:\n  " + String.join("\n  ", problems.subList(0, Math.min(40, problems.size()))));
        }
    }

    /** The {@code .state} files under {@code a} and {@code b}: the same relative paths, the same bytes. */
    static void assertSameFiles(Path a, Path b) throws IOException {
        List<String> inA = stateFiles(a);
        assertEquals(inA, stateFiles(b), "state files of " + a + " and " + b);
        assertTrue(!inA.isEmpty(), "no state files under " + a);
        for (String f : inA) {
            assertTrue(Arrays.equals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f))), "bytes of " + f);
        }
    }

    private static List<String> stateFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".state")).map(p -> dir.relativize(p).toString())
                    .sorted().toList();
        }
    }

    static List<String> npyFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".npy")).sorted().toList();
        }
    }

    private static List<String> adapterDifferences(Path dirA, Path dirB) throws IOException {
        List<String> problems = new ArrayList<>();
        List<String> filesA = npyFiles(dirA), filesB = npyFiles(dirB);
        if (filesA.isEmpty()) problems.add("no adapters/*.npy in " + dirA);
        if (!filesA.equals(filesB)) problems.add("adapter files differ: " + filesA + " vs " + filesB);
        for (String name : filesA) {
            if (!filesB.contains(name)) continue;
            Path fa = dirA.resolve(name), fb = dirB.resolve(name);
            long at = Files.mismatch(fa, fb);
            if (at >= 0) problems.add("adapters/" + name + " differs from byte " + at + ": " + describeFloatDiff(fa, fb));
        }
        return problems;
    }

    /** How two float32 .npy files differ: values that differ, the largest absolute difference, the first index. */
    static String describeFloatDiff(Path a, Path b) throws IOException {
        float[] x = readNpyFloats(a), y = readNpyFloats(b);
        if (x == null || y == null) return "(not a float32 .npy)";
        if (x.length != y.length) return x.length + " vs " + y.length + " values";
        int differing = 0, first = -1;
        double maxAbs = 0;
        for (int i = 0; i < x.length; i++) {
            if (Float.floatToRawIntBits(x[i]) != Float.floatToRawIntBits(y[i])) {
                differing++;
                if (first < 0) first = i;
                maxAbs = Math.max(maxAbs, Math.abs((double) x[i] - y[i]));
            }
        }
        return differing + " of " + x.length + " values differ, max |diff| " + maxAbs
                + (first >= 0 ? ", first at flat index " + first + " (" + x[first] + " vs " + y[first] + ")" : "");
    }

    private static float[] readNpyFloats(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < 10 || bytes[0] != (byte) 0x93) return null;
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int major = bytes[6];
        int headerLen = major == 1 ? Short.toUnsignedInt(buf.getShort(8)) : buf.getInt(8);
        int dataStart = (major == 1 ? 10 : 12) + headerLen;
        String header = new String(bytes, major == 1 ? 10 : 12, headerLen, StandardCharsets.US_ASCII);
        if (!header.contains("'<f4'")) return null;
        float[] out = new float[(bytes.length - dataStart) / 4];
        buf.position(dataStart);
        buf.asFloatBuffer().get(out);
        return out;
    }

    static List<String> command(String... parts) {
        return new ArrayList<>(Arrays.asList(parts));
    }
}
