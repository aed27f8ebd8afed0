package dev.fedlora.cluster;

import static dev.fedlora.cluster.ClusterRuns.OUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Two driver JVMs started at the same moment with the same command, into the same run folder (a
 * scheduler's overlapping runs): exactly one runs, the other exits with code 3 before Spark starts
 * and before the run ends,
 * naming the first one's lock, host and pid and without starting Spark; the folder ends with one
 * complete run (one metrics row per round, no lock left).
 */
class TwoWritersIT {
    private static final long TIMEOUT_SECONDS = 300;
    private static final int ROUNDS = 4;

    @Test
    void ofTwoRunsStartedTogetherOneRunsAndTheOtherExitsThree() throws Exception {
        Path dir = OUT.resolve("two-writers");
        ClusterRuns.deleteTree(dir);
        Files.createDirectories(dir);
        List<String> cmd = ClusterRuns.command("jobs/run.sh", "conf/tiers.conf", "experiment.name=two-writers",
                "experiment.rounds=" + ROUNDS, "data.train-limit=6000", "data.test-limit=1000", "clients.count=20",
                "clients.per-round=6", "engine.tasks-per-round=2", "eval.partitions=2", "output.checkpoint-every=2",
                "model.base=\"" + TestData.smallBaseModel() + "\"", "output.dir=\"" + dir.resolve("runs") + "\"",
                "--master", "local[2]");

        // Resolve Spark's class path first (a one-off mvn call in jobs/common.sh), so that the timings
        // below are the runs' own.
        ClusterRuns.run(dir.resolve("classpath.log"), 300,
                ClusterRuns.command("bash", "-c", "source jobs/common.sh && ensure_jar")).assertSucceeded();

        List<Process> procs = new ArrayList<>();
        List<CompletableFuture<Long>> exitedAt = new ArrayList<>();
        long t0 = System.nanoTime();
        for (String name : List.of("a", "b")) {
            Process p = ClusterRuns.start(dir.resolve(name + ".log"), cmd);
            procs.add(p);
            exitedAt.add(p.onExit().thenApply(x -> System.nanoTime()));
        }
        List<ClusterRuns.Result> results = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            results.add(ClusterRuns.await(procs.get(i), cmd, dir.resolve((i == 0 ? "a" : "b") + ".log"), TIMEOUT_SECONDS));
        }

        int winner = results.get(0).exitCode() == 0 ? 0 : 1, loser = 1 - winner;
        ClusterRuns.Result won = results.get(winner), lost = results.get(loser);
        System.out.println("--- winner ---\n" + won.tail(15) + "\n--- loser ---\n" + lost.logText());
        won.assertSucceeded();
        assertEquals(3, lost.exitCode(), "the second run's exit code; its log:\n" + lost.logText());
        double loserSeconds = (exitedAt.get(loser).get() - t0) / 1e9;
        double winnerSeconds = (exitedAt.get(winner).get() - t0) / 1e9;
        System.out.printf("second run exited with 3 after %.1f s; the run took %.1f s%n", loserSeconds, winnerSeconds);

        String msg = lost.logText();
        Path runDir = dir.resolve("runs/two-writers");
        assertTrue(msg.contains("is in use by another run"), msg);
        assertTrue(msg.contains(runDir.resolve("_LOCK").toString()), "names the lock file:\n" + msg);
        assertTrue(msg.contains("pid " + procs.get(winner).pid()), "names the winner's pid:\n" + msg);
        assertTrue(msg.contains("started 20"), "names the start time:\n" + msg);
        assertFalse(msg.contains("took the run lock") || msg.contains("] round "), "the loser must not run:\n" + msg);
        assertTrue(loserSeconds < winnerSeconds, "the loser exits before the run ends");
        // Launch to exit is JVM and SparkSubmit start-up plus the input checks: 6-10 s alone on a busy
        // 2-core machine, 16-22 s next to the winner's start-up; the bound only catches a loser that waits.
        assertTrue(loserSeconds < 60, "the loser exits quickly, took " + loserSeconds + " s");
        for (ClusterRuns.Result r : results) {
            assertFalse(r.logText().contains("Expected 1 files"), "no concurrent metrics writers:\n" + r.tail(30));
        }

        assertTrue(Files.exists(runDir.resolve("_SUCCESS")));
        assertTrue(Files.readString(runDir.resolve("manifest.json")).contains("\"status\" : \"complete\""));
        assertFalse(Files.exists(runDir.resolve("_LOCK")), "the lock is released");
        assertFalse(Files.exists(runDir.resolve("_LOCK.takeover")));
        List<List<String>> rows = ClusterRuns.metricsWithoutTiming(runDir);
        int roundCol = rows.get(0).indexOf("round");
        List<String> rounds = rows.subList(1, rows.size()).stream().map(r -> r.get(roundCol)).toList();
        assertEquals(List.of("0", "1", "2", "3", "4"), rounds, "one row per round, none twice");
    }
}
