package dev.fedlora.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.SparkTestSession;
import dev.fedlora.TestData;
import dev.fedlora.client.CohortSampler;
import dev.fedlora.config.ConfigLoader;
import dev.fedlora.config.ExperimentConfig;
import dev.fedlora.fault.FaultInjection;
import dev.fedlora.metrics.MetricsRow;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad clients are dropped and counted; an interrupted run resumes from its checkpoint to the same end. */
class ResilienceTest {
    @TempDir
    static Path tmp;
    static Path config;

    @BeforeAll
    static void writeConfig() throws Exception {
        config = tmp.resolve("resilience.conf");
        Files.writeString(config, """
                experiment { seed = 5, rounds = 6 }
                data { train-limit = 4000, test-limit = 1000 }
                model { base = "%s" }
                clients { count = 20, per-round = 8, ranks { policy = fixed, rank = 4 } }
                engine.tasks-per-round = 3
                eval.partitions = 2
                output.checkpoint-every = 2
                """.formatted(TestData.smallBaseModel()));
    }

    static List<MetricsRow> run(String name, boolean force, String... extra) throws Exception {
        List<String> overrides = new ArrayList<>(List.of(extra));
        overrides.add("experiment.name = " + name);
        overrides.add("output.dir = \"" + tmp.resolve("runs") + "\"");
        ExperimentConfig cfg = ConfigLoader.load(config.toString(), overrides);
        return ExperimentJob.run(List.of(cfg), force, SparkTestSession::get).get(name);
    }

    @Test
    void badUpdatesAreRejectedAndCountedAndTheModelStaysFinite() throws Exception {
        List<MetricsRow> rows = run("faulty", true, "faults.nan-fraction = 0.2", "faults.huge-norm-fraction = 0.15",
                "faults.dropout-fraction = 0.1", "robustness.max-update-norm = 100");
        ExperimentConfig cfg = ConfigLoader.load(config.toString(), List.of("faults.nan-fraction = 0.2",
                "faults.huge-norm-fraction = 0.15", "faults.dropout-fraction = 0.1"));
        long totalRejected = 0;
        for (MetricsRow r : rows.subList(1, rows.size())) {
            int expectRejected = 0;
            int expectDropped = 0;
            for (int c : CohortSampler.sample(5, r.round(), 20, 8)) {
                FaultInjection.Fault f = FaultInjection.pick(cfg.faults(), 5, r.round(), c);
                if (f == FaultInjection.Fault.NAN || f == FaultInjection.Fault.HUGE_NORM) expectRejected++;
                if (f == FaultInjection.Fault.DROPOUT) expectDropped++;
            }
            assertEquals(expectRejected, r.rejected(), "rejected in round " + r.round());
            assertEquals(expectDropped, r.dropped(), "dropped in round " + r.round());
            assertEquals(8 - expectRejected - expectDropped, r.clients(), "folded in round " + r.round());
            assertTrue(Double.isFinite(r.testLoss()), "finite loss in round " + r.round());
            totalRejected += r.rejected();
        }
        assertTrue(totalRejected > 0, "the injection hit someone");
        assertTrue(rows.get(rows.size() - 1).testAccuracy() > rows.get(0).testAccuracy() + 0.1);
    }

    @Test
    void unfinishedRunResumesFromItsLatestCheckpointToTheSameEnd() throws Exception {
        List<MetricsRow> whole = run("resume", true);
        Path run = tmp.resolve("runs/resume");
        // Leave the folder as a run killed during round 5 would: checkpoint after round 4, no _SUCCESS.
        Files.delete(run.resolve("_SUCCESS"));
        Files.delete(run.resolve("checkpoints/round-0006.ckpt"));
        List<MetricsRow> resumed = run("resume", false);
        assertEquals(whole.size(), resumed.size());
        for (int i = 0; i < whole.size(); i++) {
            MetricsRow a = whole.get(i);
            MetricsRow b = resumed.get(i);
            assertEquals(a.round(), b.round());
            assertEquals(a.testAccuracy(), b.testAccuracy(), "accuracy of round " + i);
            assertEquals(a.testLoss(), b.testLoss(), "loss of round " + i);
            assertEquals(a.cumulativeBytesUp(), b.cumulativeBytesUp(), "bytes of round " + i);
        }
        assertTrue(new File(run.resolve("_SUCCESS").toString()).isFile());
        assertEquals(null, run("resume", false), "a finished run is a no-op");
    }
}
