package dev.fedlora.engine;

import dev.fedlora.metrics.RoundListener;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.fedlora.Bitwise;
import dev.fedlora.SparkTestSession;
import dev.fedlora.TestData;
import dev.fedlora.config.ConfigLoader;
import dev.fedlora.config.ExperimentConfig;
import dev.fedlora.metrics.MetricsRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The round loop runs without Spark: a few rounds of a small experiment on a {@link LocalBackend}
 * (one thread, and a pool of two) give the same metrics and the same global adapter after every
 * round, bit for bit, as on Spark's {@code local[2]}. Three tasks a round over six clients, four
 * evaluation slices; zero_pad at rank tiers 2/4 with NaN clients and dropouts, flasc with sparse
 * download and upload, flora (whose base changes every round) and the data-quality policy, which
 * scores every client's held-out split between rounds.
 */
class LocalBackendTest {
    @TempDir
    static Path tmp;
    static Path config;

    @BeforeAll
    static void writeConfig() throws Exception {
        config = tmp.resolve("backends.conf");
        Files.writeString(config, """
                experiment { seed = 13, rounds = 3 }
                data { train-limit = 3000, test-limit = 1000 }
                model.base = "%s"
                lora.alpha = 8
                clients {
                  count = 20, per-round = 6
                  ranks { policy = tiers, tiers = [{rank = 2, fraction = 0.5}, {rank = 4, fraction = 0.5}] }
                }
                train { learning-rate = 0.05, momentum = 0.9 }
                engine.tasks-per-round = 3
                """.formatted(TestData.smallBaseModel()));
    }

    /** Every round's metrics (timings aside) and global adapter of one run. */
    private record Run(List<List<Object>> rows, List<float[]> adapters) {}

    private static Run run(Backend backend, String... overrides) throws Exception {
        ExperimentConfig cfg = ConfigLoader.load(config.toString(), List.of(overrides));
        ExperimentInputs inputs = ExperimentInputs.load(cfg, new Configuration());
        List<float[]> adapters = new ArrayList<>();
        List<RoundListener> listeners = List.of((row, global, ranks) -> adapters.add(global.adapter().flatten()));
        List<MetricsRow> rows = new FederatedRun(cfg, inputs).run(backend, null, listeners, null);
        return new Run(rows.stream().map(LocalBackendTest::comparable).toList(), adapters);
    }

    private static Backend spark() {
        return new SparkBackend(JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "zero_pad | faults { nan-fraction = 0.15, dropout-fraction = 0.15 }",
            "flasc    | clients.ranks { policy = fixed, rank = 4 }, strategy.flasc { download-density = 0.5, upload-density = 0.25 }",
            "flora    | clients.per-round = 7",
            "replication_pad | clients.ranks { policy = data-quality, low-rank = 2, high-rank = 4, data-quality.promote-fraction = 0.2 }",
    })
    void localRunsEqualSparkRunsBitForBit(String strategy, String settings) throws Exception {
        String[] overrides = {"strategy.name = " + strategy, settings};
        Run onSpark = run(spark(), overrides);
        Run inLine = run(new LocalBackend(), overrides);
        Run pooled;
        try (LocalBackend two = new LocalBackend(2)) {
            pooled = run(two, overrides);
        }
        assertSame(onSpark, inLine, strategy + ", one thread");
        assertSame(onSpark, pooled, strategy + ", two threads");
    }

    private static void assertSame(Run expected, Run actual, String what) {
        assertEquals(4, expected.rows().size(), "rounds 0..3");
        for (int i = 0; i < expected.rows().size(); i++) {
            assertEquals(expected.rows().get(i), actual.rows().get(i), what + ": metrics of round " + i);
            Bitwise.assertSameBits(expected.adapters().get(i), actual.adapters().get(i), what + ": adapter after round " + i);
        }
    }

    @Test
    void tasksAreSplitLikeSparkAndRunOutsideAnySparkTask() {
        List<Integer> items = new ArrayList<>();
        for (int i = 0; i < 10; i++) items.add(i);
        try (LocalBackend local = new LocalBackend(2)) {
            List<Integer> firsts = local.foldTasks(items, 4, it -> {
                assertNull(TaskContext.get(), "no Spark task");
                List<Integer> slice = new ArrayList<>();
                it.forEachRemaining(slice::add);
                return new ArrayList<>(List.of(slice.get(0)));
            }, List::addAll);
            assertEquals(List.of(0, 2, 5, 7), firsts, "slices [0,2) [2,5) [5,7) [7,10), folded in task order");
            assertEquals(List.of(0, 1, 4, 9, 16, 25, 36, 49, 64, 81), local.map(items, 3, i -> i * i));
        }
        List<Integer> sparkFirsts = spark().foldTasks(items, 4, it -> new ArrayList<>(List.of(it.next())), List::addAll);
        assertEquals(List.of(0, 2, 5, 7), sparkFirsts, "Spark's split of a list");
    }

    /** The row without the timings. */
    private static List<Object> comparable(MetricsRow r) {
        return Arrays.asList(r.round(), r.testAccuracy(), r.testLoss(), r.meanTrainLoss(), r.clients(), r.rejected(),
                r.dropped(), r.stragglers(), r.localSteps(), r.bytesDown(), r.bytesUp(), r.cumulativeBytesDown(),
                r.cumulativeBytesUp());
    }
}
