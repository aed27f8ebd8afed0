package dev.fedlora.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.Bitwise;
import dev.fedlora.SparkTestSession;
import dev.fedlora.TestData;
import dev.fedlora.client.CohortSampler;
import dev.fedlora.config.ConfigError;
import dev.fedlora.config.ConfigLoader;
import dev.fedlora.config.ExperimentConfig;
import dev.fedlora.metrics.MetricsRow;
import dev.fedlora.metrics.RoundListener;
import dev.fedlora.model.Adapter;
import dev.fedlora.model.LoraTarget;
import dev.fedlora.state.ClientState;
import dev.fedlora.state.ClientStateStore;
import dev.fedlora.state.StateIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs of strategies whose clients remember ({@code fedsa_lora}, {@code flasc} with error
 * feedback): a FedSA-LoRA client starts each participation from the {@code B} it kept last time
 * (its personalised accuracy is recomputed here from the state files); Spark's {@code local[2]}
 * and the in-JVM backend (one thread and two) give the same metrics, adapters and state files; a
 * run stopped after a checkpoint, with a half-written later round left behind, resumes to the same
 * metrics, adapters and states as an undisturbed run; a state-keeping run without a run folder is
 * refused.
 */
class ClientStateRunTest {
    private static final int CLIENTS = 20;
    private static final int PER_ROUND = 8;
    private static final long SEED = 21;

    @TempDir
    static Path tmp;
    static Path config;

    @BeforeAll
    static void writeConfig() throws Exception {
        config = tmp.resolve("state.conf");
        Files.writeString(config, """
                experiment { seed = %d, rounds = 4 }
                data { train-limit = 3000, test-limit = 1000 }
                model.base = "%s"
                lora.alpha = 8
                clients {
                  count = %d, per-round = %d
                  partition.dirichlet-alpha = 0.1
                  ranks { policy = fixed, rank = 4 }
                }
                train { learning-rate = 0.05, momentum = 0.9 }
                strategy.name = fedsa_lora
                engine.tasks-per-round = 3
                eval { partitions = 2, clients = 4, client-holdout = 0.25 }
                output { checkpoint-every = 2, save-adapters = true }
                """.formatted(SEED, TestData.smallBaseModel(), CLIENTS, PER_ROUND));
    }

    /** A run's metrics (timings aside), its global adapter after every round and where it ran. */
    private record Run(List<List<Object>> rows, List<float[]> adapters, Path dir, ExperimentConfig cfg,
                       ExperimentInputs inputs, List<MetricsRow> raw) {}

    private static Run runOn(Backend backend, String name, String... overrides) throws Exception {
        List<String> all = new ArrayList<>(List.of(overrides));
        all.add("experiment.name = " + name);
        ExperimentConfig cfg = ConfigLoader.load(config.toString(), all);
        ExperimentInputs inputs = ExperimentInputs.load(cfg, new Configuration());
        List<float[]> adapters = new ArrayList<>();
        List<RoundListener> listeners = List.of((row, global, ranks) -> adapters.add(global.adapter().flatten()));
        Path dir = tmp.resolve("direct").resolve(name);
        List<MetricsRow> rows = new FederatedRun(cfg, inputs).run(backend, dir.toString(), listeners, null);
        return new Run(rows.stream().map(ClientStateRunTest::comparable).toList(), adapters, dir, cfg, inputs, rows);
    }

    private static Backend spark() {
        return new SparkBackend(JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext()));
    }

    @Test
    void aFedSaClientStartsEachParticipationFromTheBItKept() throws Exception {
        Run run = runOn(new LocalBackend(), "persists");
        ClientStateStore store = new ClientStateStore(run.dir().toString());
        ShardSpec shards = ShardSpec.of(run.cfg());
        float scale = run.cfg().loraScale();
        int returning = 0;
        for (int round = 1; round <= 4; round++) {
            Adapter global = Adapter.unflatten(run.inputs().layout(), 4, run.adapters().get(round - 1));
            for (LoraTarget t : global.layout.targets()) {
                for (float b : global.b(t)) assertEquals(0f, b, "the global B stays 0");
            }
            StateIndex before = store.index(round - 1);
            double withKept = 0;
            double withZeroB = 0;
            int[] cohort = CohortSampler.sample(SEED, round, CLIENTS, PER_ROUND);
            for (int c : cohort) {
                Adapter start = global.copy();
                Optional<ClientState> kept = before.locationOf(c).map(at -> store.read(c, at));
                if (kept.isPresent()) returning++;
                for (LoraTarget t : start.layout.targets()) {
                    float[] b = kept.map(s -> s.array(t.index())).orElse(new float[start.b(t).length]);
                    System.arraycopy(b, 0, start.b(t), 0, b.length);
                }
                withKept += ValidationScorer.heldOutAccuracy(shards, run.inputs().train(), c, run.inputs().model(), scale, start);
                withZeroB += ValidationScorer.heldOutAccuracy(shards, run.inputs().train(), c, run.inputs().model(), scale,
                        global);
            }
            MetricsRow row = run.raw().get(round);
            assertEquals(withKept / cohort.length, row.personalAccuracyMean(), "personalised accuracy of round " + round);
            if (round > 1) assertNotEquals(withZeroB / cohort.length, row.personalAccuracyMean(), "round " + round);
            assertNotNull(row.personalAccuracyP10());
            assertTrue(row.personalAccuracyP10() <= row.personalAccuracyMean()
                    && row.personalAccuracyMean() <= row.personalAccuracyP90(), "round " + round);
            java.util.Set<Integer> everSampled = everSampled(round);
            assertEquals(everSampled.size(), store.index(round).size(), "clients with a state after round " + round);
        }
        assertTrue(returning >= 5, "clients sampled again: " + returning);
        assertNull(run.raw().get(0).personalAccuracyMean(), "no client trained in round 0");
        // A (4 x 784 and 4 x 64 on the test base) and the head (64 x 10 + 10) each way, nothing of B
        long perClient = 4L * (4 * (784 + 64) + 650);
        assertEquals(PER_ROUND * perClient, run.raw().get(1).bytesUp());
        assertEquals(PER_ROUND * perClient, run.raw().get(1).bytesDown());
    }

    private static java.util.Set<Integer> everSampled(int upToRound) {
        java.util.Set<Integer> all = new java.util.TreeSet<>();
        for (int r = 1; r <= upToRound; r++) for (int c : CohortSampler.sample(SEED, r, CLIENTS, PER_ROUND)) all.add(c);
        return all;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"strategy.name = fedsa_lora",
            "strategy.name = flasc, strategy.flasc { error-feedback = residual, download-density = 0.5, upload-density = 0.1 }"})
    void sparkAndTheLocalBackendGiveTheSameMetricsAdaptersAndStates(String strategy) throws Exception {
        String name = strategy.contains("flasc") ? "flasc" : "fedsa";
        Run onSpark = runOn(spark(), name + "-spark", strategy);
        Run inLine = runOn(new LocalBackend(), name + "-local", strategy);
        Run pooled;
        try (LocalBackend two = new LocalBackend(2)) {
            pooled = runOn(two, name + "-pooled", strategy);
        }
        for (Run other : List.of(inLine, pooled)) {
            assertEquals(onSpark.rows(), other.rows(), other.dir() + ": metrics");
            for (int i = 0; i < onSpark.adapters().size(); i++) {
                Bitwise.assertSameBits(onSpark.adapters().get(i), other.adapters().get(i), other.dir() + ": round " + i);
            }
            assertEquals(stateFiles(onSpark.dir()), stateFiles(other.dir()), other.dir() + ": state files");
        }
        assertEquals(5, onSpark.rows().size());
        assertTrue(stateFiles(onSpark.dir()).size() >= 4 * 3 - 1, "a file per round and task");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"strategy.name = fedsa_lora",
            "strategy.name = flasc, strategy.flasc { error-feedback = residual, upload-density = 0.2 }"})
    void aRunStoppedAfterACheckpointResumesToTheUndisturbedResultsStatesIncluded(String strategy) throws Exception {
        String name = strategy.contains("flasc") ? "resume-flasc" : "resume-fedsa";
        List<MetricsRow> whole = job(name, true, strategy);
        Path run = tmp.resolve("runs").resolve(name);
        Map<String, String> wholeStates = stateFiles(run);
        Map<String, String> wholeAdapters = files(run.resolve("adapters"));

        // Leave the folder as a run killed during round 4 would: checkpoint after round 2, round 3's
        // states written, one file of round 4 cut short, a temporary file never renamed.
        Files.delete(run.resolve("_SUCCESS"));
        Files.delete(run.resolve("checkpoints/round-0004.ckpt"));
        Path cut = run.resolve("state/round-0004/task-0001.state");
        byte[] bytes = Files.readAllBytes(cut);
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
        Files.deleteIfExists(run.resolve("state/round-0004/.task-0001.state.crc"));
        Files.write(run.resolve("state/round-0004/.task-0002.state.1234.tmp"), new byte[] {7});
        try (Stream<Path> later = Files.list(run.resolve("adapters"))) {
            for (Path p : later.filter(p -> p.getFileName().toString().contains("round-0004")).toList()) Files.delete(p);
        }

        List<MetricsRow> resumed = job(name, false, strategy);
        assertEquals(whole.stream().map(ClientStateRunTest::comparable).toList(),
                resumed.stream().map(ClientStateRunTest::comparable).toList());
        assertEquals(wholeStates, stateFiles(run), "state files");
        assertEquals(wholeAdapters, files(run.resolve("adapters")), "adapters");
        assertTrue(Files.exists(run.resolve("_SUCCESS")));
    }

    @Test
    void aStateKeepingStrategyWithoutARunFolderIsRefused() throws Exception {
        ExperimentConfig cfg = ConfigLoader.load(config.toString(), List.of("experiment.rounds = 1"));
        ExperimentInputs inputs = ExperimentInputs.load(cfg, new Configuration());
        ConfigError e = assertThrows(ConfigError.class,
                () -> new FederatedRun(cfg, inputs).run(new LocalBackend(), null, List.of(), null));
        assertTrue(e.getMessage().contains("strategy.name = fedsa_lora keeps a state per client"), e.getMessage());
    }

    private static List<MetricsRow> job(String name, boolean force, String strategy) throws Exception {
        ExperimentConfig cfg = ConfigLoader.load(config.toString(), List.of(strategy, "experiment.name = " + name,
                "output.dir = \"" + tmp.resolve("runs") + "\""));
        return ExperimentJob.run(List.of(cfg), force, SparkTestSession::get).get(name);
    }

    /** Every state file under {@code run}/state by relative path, with a digest of its bytes. */
    private static Map<String, String> stateFiles(Path run) throws IOException {
        Map<String, String> all = files(run.resolve("state"));
        all.keySet().removeIf(k -> !k.endsWith(".state"));
        return all;
    }

    private static Map<String, String> files(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        if (!Files.exists(dir)) return out;
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(p).toString(), Arrays.toString(java.security.MessageDigest.getInstance("SHA-256")
                        .digest(Files.readAllBytes(p))));
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** The row without the timings. */
    private static List<Object> comparable(MetricsRow r) {
        return Arrays.asList(r.round(), r.testAccuracy(), r.testLoss(), r.meanTrainLoss(), r.clients(), r.rejected(),
                r.dropped(), r.stragglers(), r.localSteps(), r.bytesDown(), r.bytesUp(), r.cumulativeBytesDown(),
                r.cumulativeBytesUp(), r.clientAccuracyMean(), r.clientAccuracyP10(), r.clientAccuracyP90(),
                r.clientAccuracyByGroup(), r.personalAccuracyMean(), r.personalAccuracyP10(), r.personalAccuracyP90());
    }
}
