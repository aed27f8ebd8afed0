package dev.fedlora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.config.ConfigLoader;
import dev.fedlora.metrics.RunLock;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line against locked folders, without Spark: a run folder whose lock a live run holds
 * makes {@code run} exit with code 3, naming the lock and its holder, before anything in the folder
 * is read or written (also a sweep of which one folder is locked); an unlocked finished run is
 * still a no-op with exit 0 that leaves no lock behind.
 */
class LockedFolderTest {
    @TempDir
    static Path tmp;
    static Path runs;
    static String good;

    @BeforeAll
    static void setUp() throws IOException {
        runs = tmp.resolve("runs");
        good = tmp.resolve("good.conf").toString();
        Files.writeString(Path.of(good), """
                experiment { name = locked, rounds = 2 }
                data { train-limit = 2000, test-limit = 500 }
                model.base = "%s"
                clients { count = 10, per-round = 2 }
                output.dir = "%s"
                """.formatted(TestData.smallBaseModel(), runs));
    }

    private static Map<String, String> snapshot() throws IOException {
        Map<String, String> files = new TreeMap<>();
        if (!Files.exists(runs)) return files;
        try (Stream<Path> all = Files.walk(runs)) {
            for (Path p : all.toList()) {
                files.put(runs.relativize(p).toString(), Files.isRegularFile(p)
                        ? Arrays.toString(Files.readAllBytes(p)) + " @" + Files.getLastModifiedTime(p) : "dir");
            }
        }
        return files;
    }

    private static int run(StringWriter err, String... args) {
        String[] argv = new String[args.length + 1];
        argv[0] = "run";
        System.arraycopy(args, 0, argv, 1, args.length);
        return Main.execute(new PrintWriter(err, true), argv);
    }

    /** A finished run of the good config in {@code runs/<name>}. */
    private static void finishedRun(String name, String... overrides) throws IOException {
        List<String> o = new java.util.ArrayList<>(List.of(overrides));
        o.add("experiment.name=" + name);
        String hash = ConfigLoader.load(good, o).hash();
        Path dir = runs.resolve(name);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("manifest.json"), "{\"configHash\": \"" + hash + "\", \"status\": \"complete\"}");
        Files.writeString(dir.resolve("_SUCCESS"), "");
    }

    @Test
    void aFolderLockedByALiveRunExitsThreeNamingTheHolderAndTouchesNothing() throws Exception {
        finishedRun("locked");
        Files.writeString(runs.resolve("locked/checkpoints-would-be-read"), "x");
        try (RunLock holder = RunLock.acquire(runs.resolve("locked").toString(), "locked",
                RunLock.Settings.ofSeconds(10, 60), new Configuration())) {
            Map<String, String> before = snapshot();
            StringWriter err = new StringWriter();

            long t0 = System.nanoTime();
            int code = run(err, good);
            long ms = (System.nanoTime() - t0) / 1_000_000;

            assertEquals(Main.EXIT_LOCKED, code, "stderr: " + err);
            String m = err.toString();
            assertTrue(m.contains("is in use by another run"), m);
            assertTrue(m.contains(holder.path()), m);
            assertTrue(m.contains("host " + holder.holder().host()), m);
            assertTrue(m.contains("pid " + ProcessHandle.current().pid()), m);
            assertTrue(m.contains("started " + holder.holder().started()), m);
            assertEquals(before, snapshot(), "nothing in the folder may change");
            System.out.println("refused in " + ms + " ms (config and inputs checked first)");
        }
    }

    @Test
    void aSweepWithOneLockedFolderTakesNoneOfTheOthers() throws Exception {
        try (RunLock holder = RunLock.acquire(runs.resolve("sweep-2").toString(), "sweep-2",
                RunLock.Settings.ofSeconds(10, 60), new Configuration())) {
            Map<String, String> before = snapshot();
            StringWriter err = new StringWriter();

            int code = run(err, good, "experiment.name=sweep", "--sweep", "experiment.seed=1,2,3");

            assertEquals(Main.EXIT_LOCKED, code, "stderr: " + err);
            assertTrue(err.toString().contains(holder.path()), err.toString());
            assertEquals(before, snapshot(), "sweep-1 (locked and released again) and sweep-3 (never locked) untouched");
            assertFalse(Files.exists(runs.resolve("sweep-1")), "the folder its lock created is gone again");
        }
    }

    @Test
    void aFinishedRunIsStillANoOpAndLeavesNoLock() throws Exception {
        finishedRun("done");
        Map<String, String> before = snapshot();
        StringWriter err = new StringWriter();

        int code = run(err, good, "experiment.name=done");

        assertEquals(0, code, "stderr: " + err);
        assertFalse(Files.exists(runs.resolve("done").resolve(RunLock.FILE)));
        assertEquals(before, snapshot());
    }
}
