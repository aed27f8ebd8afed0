package dev.fedlora.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.TestData;
import dev.fedlora.client.CohortSampler;
import dev.fedlora.config.ConfigError;
import dev.fedlora.config.ConfigLoader;
import dev.fedlora.config.ExperimentConfig;
import dev.fedlora.metrics.MetricsRow;
import dev.fedlora.metrics.RoundListener;
import dev.fedlora.model.Adapter;
import dev.fedlora.random.Seeds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client-side evaluation ({@code eval.clients}): the metrics' mean, percentiles and per-group means
 * equal the global model's accuracy on the sampled clients' held-out splits, computed by hand.
 */
class ClientEvaluationTest {
    @TempDir
    static Path tmp;
    static Path config;

    @BeforeAll
    static void writeConfig() throws Exception {
        config = tmp.resolve("client-eval.conf");
        Files.writeString(config, """
                experiment { seed = 5, rounds = 2 }
                data { train-limit = 3000, test-limit = 500 }
                model.base = "%s"
                lora.alpha = 8
                clients {
                  count = 20, per-round = 5
                  partition { dirichlet-alpha = 0.3, high-quality-fraction = 0.25 }
                  ranks { policy = quality, high-rank = 4, low-rank = 2 }
                }
                train { learning-rate = 0.05, momentum = 0.9 }
                eval { clients = 8, client-holdout = 0.25 }
                engine.tasks-per-round = 2
                """.formatted(TestData.smallBaseModel()));
    }

    @Test
    void figuresAreTheSampledClientsHeldOutAccuracies() throws Exception {
        ExperimentConfig cfg = ConfigLoader.load(config.toString(), List.of());
        ExperimentInputs inputs = ExperimentInputs.load(cfg, new Configuration());
        List<Adapter> globals = new ArrayList<>();
        List<RoundListener> listeners = List.of((row, global, ranks) -> globals.add(global.adapter()));
        List<MetricsRow> rows;
        try (LocalBackend local = new LocalBackend(2)) {
            rows = new FederatedRun(cfg, inputs).run(local, null, listeners, null);
        }
        ShardSpec spec = ShardSpec.of(cfg);
        assertEquals(0.25, spec.validationFraction(), "client-holdout held out of every shard");
        var shards = spec.shardsOf(inputs.train());
        for (int round = 0; round <= 2; round++) {
            MetricsRow row = rows.get(round);
            int[] sampled = CohortSampler.sample(cfg.seed(), Seeds.Purpose.CLIENT_EVAL, round, 20, 8);
            double[] acc = new double[sampled.length];
            double high = 0, other = 0;
            int highCount = 0;
            for (int i = 0; i < sampled.length; i++) {
                int[] held = spec.validationPart(shards, sampled[i]);
                double[] r = Evaluator.evaluateExamples(inputs.model(), cfg.loraScale(), globals.get(round), inputs.train(), held);
                acc[i] = r[1] / held.length;
                if (shards.isHighQuality(sampled[i])) {
                    high += acc[i];
                    highCount++;
                } else {
                    other += acc[i];
                }
            }
            assertEquals(Arrays.stream(acc).average().orElseThrow(), row.clientAccuracyMean(), 1e-12, "round " + round);
            double[] sorted = acc.clone();
            Arrays.sort(sorted);
            assertEquals(sorted[0], row.clientAccuracyP10(), "ceil(0.1 * 8) = 1st smallest");
            assertEquals(sorted[7], row.clientAccuracyP90(), "ceil(0.9 * 8) = 8th smallest");
            String expected = (highCount > 0 ? String.format(java.util.Locale.ROOT, "high-quality=%.4f;", high / highCount) : "")
                    + String.format(java.util.Locale.ROOT, "other=%.4f", other / (8 - highCount));
            assertEquals(expected, row.clientAccuracyByGroup(), "round " + round);
        }
    }

    @Test
    void offByDefaultAndOneHeldOutShare() throws Exception {
        ExperimentConfig off = ConfigLoader.load(config.toString(), List.of("eval.clients = 0", "experiment.rounds = 1"));
        try (LocalBackend local = new LocalBackend(2)) {
            List<MetricsRow> rows = new FederatedRun(off, ExperimentInputs.load(off, new Configuration())).run(local, null,
                    List.of(), null);
            assertNull(rows.get(1).clientAccuracyMean());
        }
        assertEquals(0, ShardSpec.of(off).validationFraction());
        ExperimentConfig both = ConfigLoader.load(config.toString(), List.of(
                "clients.ranks { policy = data-quality, low-rank = 2, high-rank = 4 }",
                "clients.ranks.data-quality.validation-fraction = 0.2"));
        String e = assertThrows(ConfigError.class, () -> ShardSpec.of(both)).getMessage();
        assertTrue(e.contains("eval.client-holdout = 0.25 differs"), e);
        assertEquals(0.3, ClientEvaluator.percentile(new double[] {0.5, 0.3, 0.9}, 0.1));
        assertEquals(0.9, ClientEvaluator.percentile(new double[] {0.5, 0.3, 0.9}, 0.9));
    }
}
