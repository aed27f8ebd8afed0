package dev.fedlora.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.SparkTestSession;
import dev.fedlora.TestData;
import dev.fedlora.checkpoint.Checkpoint;
import dev.fedlora.checkpoint.CheckpointStore;
import dev.fedlora.client.CohortSampler;
import dev.fedlora.config.ConfigLoader;
import dev.fedlora.config.ExperimentConfig;
import dev.fedlora.data.ClientShards;
import dev.fedlora.data.LabeledImages;
import dev.fedlora.metrics.MetricsRow;
import dev.fedlora.model.Adapter;
import dev.fedlora.model.AdapterLayout;
import dev.fedlora.random.Seeds;
import dev.fedlora.ranks.policies.DataQualityRanks;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every strategy end to end in local[2] on a slice of Fashion-MNIST with a small MNIST-pretrained
 * base: accuracy after a few rounds is clearly above the untrained head's, the bytes of every round
 * are what the sampled clients' ranks cost, and a second run with the same seed gives identical
 * metrics and adapters.
 */
class EndToEndTest {
    private static final long SEED = 3;
    private static final int ROUNDS = 8;
    private static final int CLIENTS = 30;
    private static final int PER_ROUND = 10;
    /** The small base's layers, 784-64-64, with a new head of 10 classes. */
    private static final int IN = TestData.SMALL_BASE_SIZES[0];
    private static final int H1 = TestData.SMALL_BASE_SIZES[1];
    private static final int H2 = TestData.SMALL_BASE_SIZES[2];
    private static final int CLASSES = 10;
    /** A row of A_0 and A_1 and a column of B_0 and B_1: (784 + 64) + (64 + 64) = 976 values. */
    private static final long SLOT = (IN + H1) + (H1 + H2);
    /** A column of B_0 and B_1 only (FFA-LoRA sends no A): 64 + 64 = 128 values. */
    private static final long B_SLOT = H1 + H2;
    /** A row of A_0 and A_1 only (RoLoRA's even rounds send no B): 784 + 64 = 848 values. */
    private static final long A_SLOT = IN + H1;
    /** Head W (10 x 64) and bias: 650 values. */
    private static final long HEAD = (long) CLASSES * H2 + CLASSES;
    /** Saved per round: A and B of two layers, head W and head b. */
    private static final int NPY_PER_ROUND = 6;

    @TempDir
    static Path tmp;
    static Path config;

    @BeforeAll
    static void writeConfig() throws Exception {
        config = tmp.resolve("e2e.conf");
        Files.writeString(config, """
                experiment { seed = %d, rounds = %d }
                data { train-limit = 6000, test-limit = 2000 }
                model.base = "%s"
                lora.alpha = 8
                clients {
                  count = %d
                  per-round = %d
                  ranks { policy = tiers, tiers = [{rank = 2, fraction = 0.5}, {rank = 8, fraction = 0.5}] }
                }
                train { learning-rate = 0.05, momentum = 0.9 }
                engine.tasks-per-round = 3
                eval.partitions = 3
                output.save-adapters = true
                """.formatted(SEED, ROUNDS, TestData.smallBaseModel(), CLIENTS, PER_ROUND));
    }

    static ExperimentConfig configOf(String name, String outputDir, List<String> extra) {
        List<String> overrides = new ArrayList<>(extra);
        overrides.add("experiment.name = " + name);
        overrides.add("output.dir = \"" + tmp.resolve(outputDir) + "\"");
        return ConfigLoader.load(config.toString(), overrides);
    }

    static List<MetricsRow> run(String name, String outputDir, List<String> extra) throws Exception {
        Map<String, List<MetricsRow>> out = ExperimentJob.run(List.of(configOf(name, outputDir, extra)), true,
                SparkTestSession::get);
        return out.get(name);
    }

    static List<String> strategyOverrides(String strategy) {
        List<String> o = new ArrayList<>(List.of("strategy.name = " + strategy));
        if (fixedRank(strategy)) {
            o.addAll(List.of("clients.ranks.policy = fixed", "clients.ranks.rank = 8"));
        }
        if (strategy.equals("flasc")) {
            o.addAll(List.of("strategy.flasc.download-density = 0.5", "strategy.flasc.upload-density = 0.25"));
        }
        return o;
    }

    /** Strategies that need every client at one rank run at rank 8. */
    static boolean fixedRank(String strategy) {
        return List.of("flasc", "fedavg", "fedex_lora", "rolora").contains(strategy);
    }

    /** The tier of client c: rank 2 when uniform(seed, RANKS, c) < 0.5, else rank 8. */
    static int tierRank(int client) {
        return Seeds.uniform(SEED, Seeds.Purpose.RANKS, client) < 0.5 ? 2 : 8;
    }

    /** The cheaper of dense (4 an entry) and sparse (4 nnz + min(4 nnz, ceil(total / 8))). */
    static long cheapest(long nnz, long total) {
        return Math.min(4 * total, 4 * nnz + Math.min(4 * nnz, (total + 7) / 8));
    }

    /** {bytes down, bytes up} of one client of rank r under the strategy in round 1. */
    static long[] clientBytes(String strategy, int r) {
        return clientBytes(strategy, 1, r);
    }

    /** {bytes down, bytes up} of one client of rank r under the strategy in the given round. */
    static long[] clientBytes(String strategy, int round, int r) {
        long total = r * SLOT + HEAD;
        return switch (strategy) {
            case "zero_pad", "replication_pad", "fedavg", "hetlora", "flexlora" -> new long[] {4 * total, 4 * total};
            // from round 2 the merged residuals too: dense, as 11 r (in + out) values a round exceed out x in
            case "fedex_lora" -> new long[] {4 * (total + (round == 1 ? 0 : (long) IN * H1 + (long) H1 * H2)), 4 * total};
            case "ffa_lora" -> new long[] {4 * (r * B_SLOT + HEAD), 4 * (r * B_SLOT + HEAD)};
            // the whole adapter down; up B and the head in odd rounds, A and the head in even ones
            case "rolora" -> new long[] {4 * total, 4 * (r * (round % 2 == 1 ? B_SLOT : A_SLOT) + HEAD)};
            // download: the top ceil(0.5 |theta|) of the global values; upload: the top ceil(0.25 |theta|) of the delta
            case "flasc" -> new long[] {cheapest((long) Math.ceil(0.5 * total), total),
                    cheapest((long) Math.ceil(0.25 * total), total)};
            default -> throw new IllegalArgumentException("no byte rule for " + strategy);
        };
    }

    /**
     * Bytes of every round are the sum over its cohort (all of which report: no faults here) of
     * each client's download and upload at the rank {@code rankInRound} gives it; cumulative
     * columns are their running sums, and round 0 (the initial model) costs nothing.
     */
    static void assertExactBytes(String strategy, List<MetricsRow> rows, RankOfRound rankInRound) {
        assertEquals(0, rows.get(0).bytesDown() + rows.get(0).bytesUp()
                + rows.get(0).cumulativeBytesDown() + rows.get(0).cumulativeBytesUp(), "round 0");
        long cumulativeDown = 0, cumulativeUp = 0;
        for (int round = 1; round <= ROUNDS; round++) {
            long down = 0, up = 0;
            for (int c : CohortSampler.sample(SEED, round, CLIENTS, PER_ROUND)) {
                long[] bytes = clientBytes(strategy, round, rankInRound.rank(round, c));
                down += bytes[0];
                up += bytes[1];
            }
            cumulativeDown += down;
            cumulativeUp += up;
            MetricsRow r = rows.get(round);
            assertEquals(down, r.bytesDown(), strategy + ": bytes down in round " + round);
            assertEquals(up, r.bytesUp(), strategy + ": bytes up in round " + round);
            assertEquals(cumulativeDown, r.cumulativeBytesDown(), strategy + ": cumulative bytes down after round " + round);
            assertEquals(cumulativeUp, r.cumulativeBytesUp(), strategy + ": cumulative bytes up after round " + round);
        }
    }

    @FunctionalInterface
    interface RankOfRound {
        int rank(int round, int client);
    }

    @Test
    void bytesOfTheRuleForTheseShapes() {
        // hand-computed from the rule, so that clientBytes cannot drift with the code it checks
        assertEquals(4 * (2 * 976 + 650), clientBytes("zero_pad", 2)[0]);
        assertEquals(4 * (8 * 128 + 650), clientBytes("ffa_lora", 8)[1]);
        // |theta| = 8 * 976 + 650 = 8458, bitmask ceil(8458 / 8) = 1058 bytes
        assertEquals(4 * 4229 + 1058, clientBytes("flasc", 8)[0]);
        assertEquals(4 * 2115 + 1058, clientBytes("flasc", 8)[1]);
        // round 2 of fedex_lora: the adapter and both merged deltas, 784 x 64 + 64 x 64
        assertEquals(4 * (8 * 976 + 650 + 50176 + 4096), clientBytes("fedex_lora", 2, 8)[0]);
        assertEquals(4 * (8 * 128 + 650), clientBytes("rolora", 3, 8)[1]);
        assertEquals(4 * (8 * 848 + 650), clientBytes("rolora", 4, 8)[1]);
    }

    @Test
    void dataQualityPolicyPromotesTheBestValidatedClientsAfterRoundOne() throws Exception {
        List<String> policy = List.of("strategy.name = replication_pad",
                "clients.ranks.policy = data-quality", "clients.ranks.low-rank = 2", "clients.ranks.high-rank = 8",
                "clients.ranks.data-quality.promote-fraction = 0.1", "output.checkpoint-every = 1");
        ExperimentConfig cfg = configOf("e2e-data-quality", "runs", policy);
        List<MetricsRow> rows = run("e2e-data-quality", "runs", policy);
        Checkpoint last = new CheckpointStore(tmp.resolve("runs/e2e-data-quality").toString(), cfg.hash(),
                new Configuration()).latest().orElseThrow();
        int[] promoted = ((DataQualityRanks.Policy) last.ranks()).promoted();

        // score every client here: the saved global adapter of round 1 on each client's held-out split
        ExperimentInputs inputs = ExperimentInputs.load(cfg, new Configuration());
        Adapter round1 = readAdapter(tmp.resolve("runs/e2e-data-quality/adapters/round-0001"), inputs.layout(), 8);
        ShardSpec spec = ShardSpec.of(cfg.clients(), cfg.seed());
        ClientShards shards = spec.shardsOf(inputs.train());
        double[] accuracy = new double[CLIENTS];
        for (int c = 0; c < CLIENTS; c++) {
            int[] held = spec.validationPart(shards, c);
            // 6000 / 30 = 200 examples a client, ceil(0.2 * 200) = 40 held out
            assertEquals(40, held.length, "held-out examples of client " + c);
            accuracy[c] = Evaluator.evaluateExamples(inputs.model(), cfg.loraScale(), round1,
                    inputs.train(), held)[1] / held.length;
        }
        // ceil(0.1 * 30) = 3 clients, the highest accuracies, ties to the lower id
        int[] best = IntStream.range(0, CLIENTS).boxed()
                .sorted(Comparator.<Integer>comparingDouble(c -> -accuracy[c]).thenComparingInt(c -> c))
                .limit(3).mapToInt(Integer::intValue).sorted().toArray();
        assertArrayEquals(best, promoted, "promoted vs validation accuracies " + Arrays.toString(accuracy));
        double lowestPromoted = Arrays.stream(promoted).mapToDouble(c -> accuracy[c]).min().orElseThrow();
        for (int c = 0; c < CLIENTS; c++) {
            if (Arrays.binarySearch(promoted, c) >= 0) continue;
            assertTrue(accuracy[c] <= lowestPromoted, "client " + c + " (" + accuracy[c] + ") scored below every"
                    + " promoted client (lowest " + lowestPromoted + ")");
        }
        assertTrue(accuracy[promoted[0]] > 0, "the scores are real accuracies");
        for (int c : promoted) assertEquals(8, last.ranks().rankOf(c));

        // round 1 is all rank 2; from round 2 the promoted clients train (and pay for) rank 8
        assertExactBytes("replication_pad", rows,
                (round, c) -> round >= 2 && Arrays.binarySearch(promoted, c) >= 0 ? 8 : 2);
        assertTrue(rows.get(rows.size() - 1).testAccuracy() > rows.get(1).testAccuracy());
    }

    @ParameterizedTest
    @ValueSource(strings = {"zero_pad", "replication_pad", "flasc", "fedavg", "hetlora", "flexlora", "flora", "ffa_lora",
            "fedex_lora", "rolora"})
    void learnsAndReproduces(String strategy) throws Exception {
        String name = "e2e-" + strategy;
        List<MetricsRow> first = run(name, "runs", strategyOverrides(strategy));
        assertEquals(ROUNDS + 1, first.size(), "round 0 plus 8 rounds");
        double initial = first.get(0).testAccuracy();
        double round1 = first.get(1).testAccuracy();
        double last = first.get(ROUNDS).testAccuracy();
        assertTrue(last > 0.5, strategy + ": final accuracy " + last);
        assertTrue(last > round1 + 0.15 && round1 > initial + 0.1, strategy + ": accuracy " + initial + " -> " + round1 + " -> " + last);
        for (MetricsRow r : first.subList(1, first.size())) {
            assertEquals(PER_ROUND, r.clients());
            assertEquals(0, r.rejected() + r.dropped() + r.stragglers());
            assertTrue(r.localSteps() > 0);
        }
        // flora's bytes down change every round with its stacked modules; FloraTest asserts them
        if (!strategy.equals("flora")) {
            boolean fixed = fixedRank(strategy);
            assertExactBytes(strategy, first, (round, c) -> fixed ? 8 : tierRank(c));
        }
        Path firstDir = tmp.resolve("runs").resolve(name);
        assertTrue(new File(firstDir.resolve("_SUCCESS").toString()).isFile());

        // the same experiment into another folder: every metrics column but the timings, and every
        // saved adapter, identical
        List<MetricsRow> second = run(name, "runs-again", strategyOverrides(strategy));
        Path secondDir = tmp.resolve("runs-again").resolve(name);
        assertEquals(withoutTimings(first), withoutTimings(second), strategy + ": metrics rows");
        assertEquals(csvWithoutTimings(firstDir), csvWithoutTimings(secondDir), strategy + ": metrics.csv");
        List<String> adapters = npyFiles(firstDir);
        assertEquals((ROUNDS + 1) * NPY_PER_ROUND, adapters.size(), "adapters of rounds 0 to 8: " + adapters);
        assertEquals(adapters, npyFiles(secondDir));
        for (String f : adapters) {
            assertArrayEquals(Files.readAllBytes(firstDir.resolve("adapters").resolve(f)),
                    Files.readAllBytes(secondDir.resolve("adapters").resolve(f)), strategy + ": " + f);
        }
    }

    /** The rows with round_seconds and client_train_seconds set to 0: every other column must repeat. */
    static List<MetricsRow> withoutTimings(List<MetricsRow> rows) {
        return rows.stream().map(r -> new MetricsRow(r.experiment(), r.strategy(), r.round(), r.testAccuracy(),
                r.testLoss(), r.meanTrainLoss(), r.clients(), r.rejected(), r.dropped(), r.stragglers(),
                r.localSteps(), r.bytesDown(), r.bytesUp(), r.cumulativeBytesDown(), r.cumulativeBytesUp(), 0, 0))
                .toList();
    }

    /** The lines of the written metrics.csv with the two timing columns removed. */
    static List<List<String>> csvWithoutTimings(Path runDir) throws IOException {
        Path csv;
        try (Stream<Path> files = Files.list(runDir.resolve("metrics.csv"))) {
            csv = files.filter(p -> p.getFileName().toString().endsWith(".csv")).findFirst().orElseThrow();
        }
        List<String> lines = Files.readAllLines(csv);
        List<String> header = List.of(lines.get(0).split(",", -1));
        int roundSeconds = header.indexOf("round_seconds");
        int trainSeconds = header.indexOf("client_train_seconds");
        assertTrue(roundSeconds >= 0 && trainSeconds >= 0, "timing columns in " + header);
        assertEquals(ROUNDS + 2, lines.size(), "header and one line per round");
        List<List<String>> out = new ArrayList<>();
        for (String line : lines) {
            List<String> cells = new ArrayList<>(List.of(line.split(",", -1)));
            assertEquals(header.size(), cells.size(), line);
            cells.remove(Math.max(roundSeconds, trainSeconds));
            cells.remove(Math.min(roundSeconds, trainSeconds));
            out.add(cells);
        }
        return out;
    }

    static List<String> npyFiles(Path runDir) throws IOException {
        try (Stream<Path> files = Files.list(runDir.resolve("adapters"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".npy")).sorted()
                    .collect(Collectors.toList());
        }
    }

    /** A rank-r adapter from its {@code PREFIX-<tensor>.npy} files: {@code -fc1.lora_A}, ..., {@code -head.bias}. */
    static Adapter readAdapter(Path prefix, AdapterLayout layout, int rank) throws IOException {
        Adapter p = new Adapter(layout, rank);
        for (java.util.Map.Entry<String, dev.fedlora.comm.Payload.Tensor> t : p.tensors().entrySet()) {
            readNpy(prefix + "-" + t.getKey() + ".npy", t.getValue().values());
        }
        return p;
    }

    /** Reads a little-endian float32 .npy (format 1.0) into {@code into}, which must match its size. */
    static void readNpy(String path, float[] into) throws IOException {
        byte[] bytes = Files.readAllBytes(Path.of(path));
        int headerLength = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
        assertEquals(4L * into.length, bytes.length - 10 - headerLength, path);
        ByteBuffer.wrap(bytes, 10 + headerLength, 4 * into.length).order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer().get(into);
    }
}
