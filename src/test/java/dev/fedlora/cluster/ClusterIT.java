package dev.fedlora.cluster;

import static dev.fedlora.cluster.ClusterRuns.OUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.TestData;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same experiment through {@code jobs/run.sh} on a two-worker standalone cluster
 * ({@code jobs/cluster.sh}, on free ports), on {@code local[1]} and on {@code local[2]} gives the
 * same metrics in every column but the timing ones (round_seconds, client_train_seconds), and
 * byte-identical adapters after every round.
 * The three runs go concurrently, so task timing differs from run to run as much as it can.
 */
class ClusterIT {
    private static final long RUN_TIMEOUT_SECONDS = 300;
    private static int masterPort;
    private static int webUiPort;
    private static Path config;
    private static String baseModel;

    @BeforeAll
    static void startCluster() throws Exception {
        int[] ports = ClusterRuns.freePorts(2);
        masterPort = ports[0];
        webUiPort = ports[1];
        Files.createDirectories(OUT);
        baseModel = TestData.smallBaseModel();
        config = OUT.resolve("cluster-it.conf");
        Files.writeString(config, """
                experiment { name = cluster-it, seed = 3, rounds = 3 }
                data { train-limit = 6000, test-limit = 2000 }
                lora.alpha = 8
                clients {
                  count = 20
                  per-round = 6
                  ranks { policy = tiers, tiers = [{rank = 2, fraction = 0.5}, {rank = 8, fraction = 0.5}] }
                }
                train { learning-rate = 0.05, momentum = 0.9 }
                strategy.name = replication_pad
                engine.tasks-per-round = 4
                eval.partitions = 3
                output.save-adapters = true
                """);
        ClusterRuns.run(OUT.resolve("cluster-start.log"), 180, cluster("start", "--workers", "2"))
                .assertSucceeded();
    }

    @AfterAll
    static void stopCluster() {
        if (masterPort == 0) return;
        ClusterRuns.run(OUT.resolve("cluster-stop.log"), 120, cluster("stop")).assertSucceeded();
    }

    /** Finished applications the master's JSON lists: proof that the "cluster" run ran there. */
    private static int finishedApps() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + webUiPort + "/json/")).build(), HttpResponse.BodyHandlers.ofString());
        return (int) Pattern.compile("\"state\"\\s*:\\s*\"FINISHED\"").matcher(r.body()).results().count();
    }

    private static List<String> cluster(String action, String... more) {
        List<String> c = ClusterRuns.command("jobs/cluster.sh", action, "--master-port", String.valueOf(masterPort),
                "--webui-port", String.valueOf(webUiPort));
        c.addAll(List.of(more));
        return c;
    }

    /**
     * replication_pad with rank tiers 2/8 (from the config), flasc at rank 8 with sparse up/down, and
     * fedsa_lora, whose clients keep their B in the run folder between rounds.
     */
    private static List<String> variantOverrides(String variant) {
        return switch (variant) {
            case "replication_pad" -> List.of();
            case "flasc" -> List.of("strategy.name=flasc", "clients.ranks.policy=fixed", "clients.ranks.rank=8",
                    "strategy.flasc.download-density=0.5", "strategy.flasc.upload-density=0.25");
            case "fedsa_lora" -> List.of("strategy.name=fedsa_lora", "clients.ranks.policy=fixed", "clients.ranks.rank=8",
                    "eval.clients=4");
            default -> throw new IllegalArgumentException(variant);
        };
    }

    @ParameterizedTest(name = "{0}: cluster = local[1] = local[2]")
    @ValueSource(strings = {"replication_pad", "flasc", "fedsa_lora"})
    void clusterAndLocalModesGiveIdenticalResults(String variant) throws Exception {
        Path dir = OUT.resolve(variant);
        ClusterRuns.deleteTree(dir);
        Map<String, String> masters = new LinkedHashMap<>();
        masters.put("cluster", "spark://127.0.0.1:" + masterPort);
        masters.put("local-1", "local[1]");
        masters.put("local-2", "local[2]");

        int finishedBefore = finishedApps();
        Map<String, Process> running = new LinkedHashMap<>();
        Map<String, List<String>> commands = new LinkedHashMap<>();
        List<Path> runDirs = new ArrayList<>();
        try {
            for (Map.Entry<String, String> m : masters.entrySet()) {
                List<String> cmd = ClusterRuns.command("jobs/run.sh", config.toString(),
                        "model.base=\"" + baseModel + "\"", "output.dir=\"" + dir.resolve(m.getKey()) + "\"");
                cmd.addAll(variantOverrides(variant));
                cmd.addAll(List.of("--master", m.getValue(), "--conf", "spark.driver.host=127.0.0.1"));
                commands.put(m.getKey(), cmd);
                running.put(m.getKey(), ClusterRuns.start(dir.resolve(m.getKey() + ".log"), cmd));
            }
            for (String name : masters.keySet()) {
                ClusterRuns.await(running.get(name), commands.get(name), dir.resolve(name + ".log"), RUN_TIMEOUT_SECONDS)
                        .assertSucceeded();
                Path runDir = dir.resolve(name).resolve("cluster-it");
                assertTrue(Files.isRegularFile(runDir.resolve("_SUCCESS")), "no _SUCCESS in " + runDir);
                runDirs.add(runDir);
            }
        } finally {
            running.values().forEach(ClusterRuns::destroyTree);
        }
        assertEquals(finishedBefore + 1, finishedApps(), "finished applications listed by the cluster's master");
        ClusterRuns.assertSameResults("cluster", runDirs.get(0), "local[1]", runDirs.get(1));
        ClusterRuns.assertSameResults("cluster", runDirs.get(0), "local[2]", runDirs.get(2));
        if (variant.equals("fedsa_lora")) {
            ClusterRuns.assertSameFiles(runDirs.get(0).resolve("state"), runDirs.get(1).resolve("state"));
            ClusterRuns.assertSameFiles(runDirs.get(0).resolve("state"), runDirs.get(2).resolve("state"));
        }
    }
}
