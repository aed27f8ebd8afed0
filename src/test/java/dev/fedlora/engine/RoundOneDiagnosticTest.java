package dev.fedlora.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.SparkTestSession;
import dev.fedlora.TestData;
import dev.fedlora.config.ConfigError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The round-1 diagnostic: the same local training under every strategy (so "before" is one number
 * per client), an "after" per strategy from the aggregated adapter, high-quality clients at the
 * high rank, and a clear refusal for strategies whose uploads are not adapters.
 */
class RoundOneDiagnosticTest {
    @TempDir
    static Path tmp;
    static Path config;

    @BeforeAll
    static void writeConfig() throws Exception {
        config = tmp.resolve("diag.conf");
        Files.writeString(config, """
                experiment { name = diag, seed = 3 }
                data { train-limit = 4000, test-limit = 200 }
                model.base = "%s"
                lora.alpha = 8
                clients {
                  count = 20, per-round = 10
                  partition { dirichlet-alpha = 0.1, high-quality-fraction = 0.2 }
                  ranks { policy = quality, high-rank = 8, low-rank = 2 }
                }
                train { learning-rate = 0.05, momentum = 0.9 }
                engine.tasks-per-round = 2
                output.dir = "%s"
                """.formatted(TestData.smallBaseModel(), tmp.resolve("runs")));
    }

    @Test
    void beforeIsSharedAndAfterDependsOnTheStrategy() throws Exception {
        List<String> strategies = List.of("zero_pad", "replication_pad");
        List<RoundOneDiagnostic.ClientRow> rows = RoundOneDiagnostic.run(config.toString(), List.of(), strategies,
                SparkTestSession::get);
        assertEquals(10, rows.size(), "every sampled client");
        for (RoundOneDiagnostic.ClientRow r : rows) {
            assertEquals(r.highQuality() ? 8 : 2, r.rank(), "client " + r.client());
            assertTrue(r.before() >= 0 && r.before() <= 1);
            for (String s : strategies) assertTrue(r.after().get(s) >= 0 && r.after().get(s) <= 1);
        }
        // the slots only high-rank clients own: diluted by zero-padding, kept by replication
        float[] zero = dev.fedlora.metrics.NpyReader.read(tmp.resolve("runs/diag-round1-zero_pad/adapters/round-0001-fc1.lora_B.npy")
                .toString(), new org.apache.hadoop.conf.Configuration()).values();
        float[] replicated = dev.fedlora.metrics.NpyReader.read(tmp.resolve(
                "runs/diag-round1-replication_pad/adapters/round-0001-fc1.lora_B.npy").toString(),
                new org.apache.hadoop.conf.Configuration()).values();
        assertTrue(dev.fedlora.Bitwise.differ(zero, replicated), "the two strategies aggregate differently");
        assertTrue(rows.stream().anyMatch(RoundOneDiagnostic.ClientRow::highQuality));
        String csv = RoundOneDiagnostic.csv(rows, strategies);
        assertTrue(csv.startsWith("client,group,rank,before,after_zero_pad,after_replication_pad\n"), csv);
        assertEquals(11, csv.split("\n").length);
        assertNotEquals(rows.get(0).before(), Double.NaN);
    }

    @Test
    void sparseUploadsAreRefused() {
        String e = assertThrows(ConfigError.class, () -> RoundOneDiagnostic.run(config.toString(),
                List.of("clients.ranks { policy = fixed, rank = 4 }", "strategy.flasc.upload-density = 0.5"),
                List.of("flasc"), SparkTestSession::get)).getMessage();
        assertTrue(e.contains("does not upload whole adapters"), e);
    }
}
