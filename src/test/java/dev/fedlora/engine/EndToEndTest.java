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
import dev.fedlora.client.DataQualityRanks;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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

    static ExperimentConfig configOf(String name, List<String> extra) {
        List<String> overrides = new ArrayList<>(extra);
        overrides.add("experiment.name = " + name);
        overrides.add("output.dir = \"" + tmp.resolve("runs") + "\"");
        return ConfigLoader.load(config.toString(), overrides);
    }

    static List<MetricsRow> run(String name, List<String> extra) throws Exception {
        Map<String, List<MetricsRow>> out = ExperimentJob.run(List.of(configOf(name, extra)), true,
                SparkTestSession::get);
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

    @Test
    void dataQualityPolicyPromotesTheBestValidatedClientsAfterRoundOne() throws Exception {
        List<String> policy = List.of("strategy.name = replication_pad",
                "clients.ranks.policy = data-quality", "clients.ranks.low-rank = 2", "clients.ranks.high-rank = 8",
                "clients.ranks.data-quality.promote-fraction = 0.2", "output.checkpoint-every = 1");
        List<MetricsRow> rows = run("e2e-data-quality", policy);
        Checkpoint last = new CheckpointStore(tmp.resolve("runs/e2e-data-quality").toString(),
                configOf("e2e-data-quality", policy).hash(), new org.apache.hadoop.conf.Configuration())
                .latest().orElseThrow();
        int[] promoted = ((DataQualityRanks.Policy) last.ranks()).promoted();
        assertEquals(6, promoted.length, "ceil(0.2 * 30) clients promoted");
        for (int c : promoted) assertEquals(8, last.ranks().rankOf(c));
        // Round 1 uploads are all rank 2; later rounds carry rank-8 uploads of promoted clients.
        assertTrue(rows.get(rows.size() - 1).testAccuracy() > rows.get(1).testAccuracy());
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
