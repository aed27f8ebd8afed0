package dev.fedlora.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.SparkTestSession;
import dev.fedlora.TestData;
import dev.fedlora.config.ConfigLoader;
import dev.fedlora.config.ExperimentConfig;
import dev.fedlora.metrics.MetricsRow;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every strategy end to end in local[2] on a slice of Fashion-MNIST with a small MNIST-pretrained
 * base: accuracy after a few rounds is clearly above the untrained head's, and a second run with
 * the same seed gives identical metrics.
 */
class EndToEndTest {
    @TempDir
    static Path tmp;
    static Path config;

    @BeforeAll
    static void writeConfig() throws Exception {
        config = tmp.resolve("e2e.conf");
        Files.writeString(config, """
                experiment { seed = 3, rounds = 8 }
                data { train-limit = 6000, test-limit = 2000 }
                model { base = "%s", lora-alpha = 8 }
                clients {
                  count = 30
                  per-round = 10
                  ranks { policy = tiers, tiers = [{rank = 2, fraction = 0.5}, {rank = 8, fraction = 0.5}] }
                }
                train { learning-rate = 0.05, momentum = 0.9 }
                engine.tasks-per-round = 3
                eval.partitions = 3
                """.formatted(TestData.smallBaseModel()));
    }

    static List<MetricsRow> run(String name, List<String> extra) throws Exception {
        List<String> overrides = new ArrayList<>(extra);
        overrides.add("experiment.name = " + name);
        overrides.add("output.dir = \"" + tmp.resolve("runs") + "\"");
        ExperimentConfig cfg = ConfigLoader.load(config.toString(), overrides);
        Map<String, List<MetricsRow>> out = ExperimentJob.run(List.of(cfg), true, SparkTestSession::get);
        return out.get(name);
    }

    static List<String> strategyOverrides(String strategy) {
        List<String> o = new ArrayList<>(List.of("strategy.name = " + strategy));
        if (strategy.equals("flasc") || strategy.equals("fedavg")) {
            o.addAll(List.of("clients.ranks.policy = fixed", "clients.ranks.rank = 8"));
        }
        if (strategy.equals("flasc")) {
            o.addAll(List.of("strategy.flasc.download-density = 0.5", "strategy.flasc.upload-density = 0.25"));
        }
        return o;
    }

    @ParameterizedTest
    @ValueSource(strings = {"zero_pad", "replication_pad", "flasc", "fedavg", "hetlora", "flexlora", "flora", "ffa_lora"})
    void learnsAndReproduces(String strategy) throws Exception {
        List<MetricsRow> first = run("e2e-" + strategy, strategyOverrides(strategy));
        assertEquals(9, first.size(), "round 0 plus 8 rounds");
        double initial = first.get(0).testAccuracy();
        double round1 = first.get(1).testAccuracy();
        double last = first.get(8).testAccuracy();
        assertTrue(last > 0.5, strategy + ": final accuracy " + last);
        assertTrue(last > round1 + 0.15 && round1 > initial + 0.1, strategy + ": accuracy " + initial + " -> " + round1 + " -> " + last);
        for (MetricsRow r : first.subList(1, first.size())) {
            assertEquals(10, r.clients());
            assertTrue(r.bytesUp() > 0 && r.bytesDown() > 0 && r.localSteps() > 0);
        }
        assertTrue(new File(tmp.resolve("runs/e2e-" + strategy + "/_SUCCESS").toString()).isFile());

        List<MetricsRow> second = run("e2e-" + strategy + "-again", strategyOverrides(strategy));
        for (int i = 0; i < first.size(); i++) {
            MetricsRow a = first.get(i), b = second.get(i);
            assertEquals(a.testAccuracy(), b.testAccuracy(), "round " + i);
            assertEquals(a.testLoss(), b.testLoss(), "round " + i);
            assertEquals(a.meanTrainLoss(), b.meanTrainLoss(), "round " + i);
            assertEquals(a.bytesUp(), b.bytesUp(), "round " + i);
        }
    }
}
