package dev.fedlora.cluster;

import static dev.fedlora.cluster.ClusterRuns.OUT;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code jobs/fault-worker-kill.sh} on free ports with the small test base: a cluster run that
 * loses a worker and its executor (kill -9) after round 2 finishes on the other worker with metrics
 * and adapters identical to an undisturbed run (here on local[2], alongside, to save time; ClusterIT
 * shows the cluster and local[2] agree). The script checks that itself; this test checks it again
 * from the two output folders, so a failure names the differing rounds, columns and files.
 */
class WorkerKillIT {
    private static final long TIMEOUT_SECONDS = 420;
    private int masterPort;
    private int webUiPort;

    /** replication_pad as the script runs it, and fedsa_lora, whose clients keep their B in the run folder. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"replication_pad", "fedsa_lora"})
    void runSurvivesLosingAWorkerWithIdenticalResults(String strategy) throws Exception {
        int[] ports = ClusterRuns.freePorts(2);
        masterPort = ports[0];
        webUiPort = ports[1];
        boolean stateful = strategy.equals("fedsa_lora");
        Path out = OUT.resolve("fault-worker-kill-" + strategy);
        List<String> command = ClusterRuns.command("jobs/fault-worker-kill.sh", "--master-port", String.valueOf(masterPort),
                "--webui-port", String.valueOf(webUiPort), "--out", out.toString(),
                "--reference-master", "local[2]",
                "model.base=\"" + TestData.smallBaseModel() + "\"",
                // Tasks long enough (~1 s) that the kill catches one in flight.
                "train.epochs=8");
        if (stateful) command.addAll(List.of("strategy.name=fedsa_lora", "clients.ranks.policy=fixed", "clients.ranks.rank=8"));
        ClusterRuns.Result r = ClusterRuns.run(OUT.resolve("fault-worker-kill-" + strategy + ".log"), TIMEOUT_SECONDS,
                command);
        System.out.println(r.logText());
        r.assertSucceeded();
        String log = r.logText();
        assertTrue(log.contains("kill -9 worker-2"), "the script did not kill the worker:\n" + r.tail(30));
        assertTrue(Files.readString(out.resolve("faulty.log")).contains("Lost executor"),
                "the driver did not report the lost executor; see " + out.resolve("faulty.log"));
        Matcher lost = Pattern.compile("(\\d+) task\\(s\\) lost with the executor").matcher(log);
        if (lost.find() && lost.group(1).equals("0")) {
            System.out.println("note: no task was in flight on the killed executor; later rounds still ran on one worker");
        }
        ClusterRuns.assertSameResults("undisturbed run", out.resolve("reference/fault-worker-kill"),
                "run with a killed worker", out.resolve("faulty/fault-worker-kill"));
        if (stateful) {
            ClusterRuns.assertSameFiles(out.resolve("reference/fault-worker-kill/state"),
                    out.resolve("faulty/fault-worker-kill/state"));
        }
    }

    /** The script stops its cluster itself; this covers a script that timed out or was killed. */
    @AfterEach
    void stopCluster() {
        if (masterPort == 0) return;
        ClusterRuns.run(OUT.resolve("fault-cluster-stop.log"), 120, ClusterRuns.command("jobs/cluster.sh", "stop",
                "--master-port", String.valueOf(masterPort), "--webui-port", String.valueOf(webUiPort)));
    }
}
