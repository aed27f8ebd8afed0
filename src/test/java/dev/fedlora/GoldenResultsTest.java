package dev.fedlora;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fedlora.config.ConfigLoader;
import dev.fedlora.config.ExperimentConfig;
import dev.fedlora.engine.ExperimentJob;
import dev.fedlora.metrics.MetricsRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The oracle for refactoring: every strategy's metrics for fixed configs and seeds, recorded in
 * {@code src/test/resources/golden/strategy-metrics.csv} and required to stay bit-identical
 * (accuracy, losses, steps, clients and bytes of every round; timings excluded). Eight rounds of
 * {@code conf/hetero-rank.conf} (quality split, ranks 5/20) for the rank-heterogeneous strategies
 * and eight of {@code conf/flasc.conf} at rank 8 for flasc and fedavg, on a slice of the data and
 * the small test base (so on the BLAS kernels of this machine kind).
 *
 * <p>A change that is meant to change results rewrites the file with
 * {@code mvn test -Dtest=GoldenResultsTest -Dgolden.write=true}, and the diff shows what moved.
 */
class GoldenResultsTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/strategy-metrics.csv");
    private static final boolean WRITE = Boolean.getBoolean("golden.write");
    private static final String HEADER = "experiment,round,test_accuracy,test_loss,mean_train_loss,clients,rejected,"
            + "dropped,stragglers,local_steps,bytes_down,bytes_up,cumulative_bytes_down,cumulative_bytes_up";

    @TempDir
    static Path tmp;

    static Stream<Arguments> runs() {
        List<Arguments> runs = new ArrayList<>();
        for (String s : List.of("zero_pad", "replication_pad", "hetlora", "flexlora", "flora", "ffa_lora")) {
            runs.add(Arguments.of("conf/hetero-rank.conf", s, List.of()));
        }
        for (String s : List.of("flasc", "fedavg")) {
            runs.add(Arguments.of("conf/flasc.conf", s, List.of("clients.ranks.rank = 8")));
        }
        return runs.stream();
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("runs")
    void metricsAreThoseRecorded(String config, String strategy, List<String> extra) throws Exception {
        String name = "golden-" + strategy;
        List<String> overrides = new ArrayList<>(List.of("experiment.rounds = 8", "experiment.name = " + name,
                "strategy.name = " + strategy, "data.train-limit = 10000", "data.test-limit = 2000",
                "model.base = \"" + TestData.smallBaseModel() + "\"", "output.dir = \"" + tmp.resolve("runs") + "\""));
        overrides.addAll(extra);
        ExperimentConfig cfg = ConfigLoader.load(config, overrides);
        List<MetricsRow> rows = ExperimentJob.run(List.of(cfg), true, SparkTestSession::get).get(name);

        List<String> actual = rows.stream().map(GoldenResultsTest::line).toList();
        if (WRITE) {
            write(name, actual);
            return;
        }
        List<String> expected = Files.readAllLines(GOLDEN).stream().filter(l -> l.startsWith(name + ",")).toList();
        assertEquals(9, expected.size(), "recorded rounds 0..8 of " + name + " in " + GOLDEN);
        for (int i = 0; i < expected.size(); i++) assertEquals(expected.get(i), actual.get(i), name + " round " + i);
    }

    private static String line(MetricsRow r) {
        return String.join(",", r.experiment(), String.valueOf(r.round()), String.valueOf(r.testAccuracy()),
                String.valueOf(r.testLoss()), String.valueOf(r.meanTrainLoss()), String.valueOf(r.clients()),
                String.valueOf(r.rejected()), String.valueOf(r.dropped()), String.valueOf(r.stragglers()),
                String.valueOf(r.localSteps()), String.valueOf(r.bytesDown()), String.valueOf(r.bytesUp()),
                String.valueOf(r.cumulativeBytesDown()), String.valueOf(r.cumulativeBytesUp()));
    }

    /** Replaces {@code name}'s lines in the golden file, keeping the others in place. */
    private static synchronized void write(String name, List<String> lines) throws IOException {
        List<String> kept = new ArrayList<>();
        if (Files.exists(GOLDEN)) {
            for (String l : Files.readAllLines(GOLDEN)) if (!l.startsWith(name + ",") && !l.equals(HEADER)) kept.add(l);
        }
        kept.addAll(lines);
        List<String> out = new ArrayList<>(List.of(HEADER));
        kept.stream().sorted(java.util.Comparator.comparing((String l) -> l.substring(0, l.indexOf(',')))
                .thenComparingInt(l -> Integer.parseInt(l.split(",")[1]))).forEach(out::add);
        Files.createDirectories(GOLDEN.getParent());
        Files.write(GOLDEN, out);
    }
}
