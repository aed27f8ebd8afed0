package dev.fedlora.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fedlora.SparkTestSession;
import dev.fedlora.TestData;
import dev.fedlora.config.ConfigLoader;
import dev.fedlora.metrics.MetricsRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN.md §1: FLASC with download and upload densities 1 and server SGD at rate 1 is dense
 * FedAvg exactly. Both strategies run the same config and seed in local[2]; every metrics value
 * but the strategy's name and the timings, and every saved global adapter of every round, must be
 * identical bit for bit.
 */
class FlascFullDensityTest {
    @TempDir
    static Path tmp;

    private static List<MetricsRow> run(Path config, String strategy) throws Exception {
        String name = "full-density-" + strategy;
        return ExperimentJob.run(List.of(ConfigLoader.load(config.toString(), List.of(
                "strategy.name = " + strategy, "experiment.name = " + name,
                "output.dir = \"" + tmp.resolve("runs") + "\""))), true, SparkTestSession::get).get(name);
    }

    @Test
    void flascAtFullDensitiesIsFedAvgBitForBit() throws Exception {
        Path config = tmp.resolve("full-density.conf");
        Files.writeString(config, """
                experiment { seed = 11, rounds = 4 }
                data { train-limit = 3000, test-limit = 1000 }
                model.base = "%s"
                lora.alpha = 8
                clients { count = 20, per-round = 6, ranks { policy = fixed, rank = 4 } }
                strategy.flasc { download-density = 1, upload-density = 1, server-learning-rate = 1 }
                train { learning-rate = 0.05, momentum = 0.9 }
                engine.tasks-per-round = 3
                output.save-adapters = true
                """.formatted(TestData.smallBaseModel()));

        List<MetricsRow> fedavg = run(config, "fedavg");
        List<MetricsRow> flasc = run(config, "flasc");

        assertEquals(fedavg.size(), flasc.size());
        for (int i = 0; i < fedavg.size(); i++) {
            assertEquals(comparable(fedavg.get(i)), comparable(flasc.get(i)), "metrics of round " + i);
        }
        List<Path> fedavgAdapters = adapters("fedavg");
        assertEquals(5 * 6, fedavgAdapters.size(), "A, B of two layers and the head's W, b, rounds 0..4");
        for (Path f : fedavgAdapters) {
            Path other = tmp.resolve("runs/full-density-flasc/adapters").resolve(f.getFileName());
            assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(other), f.getFileName().toString());
        }
    }

    private static List<Path> adapters(String strategy) throws Exception {
        try (Stream<Path> files = Files.list(tmp.resolve("runs/full-density-" + strategy + "/adapters"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".npy")).sorted().toList();
        }
    }

    /** The row without the strategy's name, the experiment's name and the timings. */
    private static List<Object> comparable(MetricsRow r) {
        return java.util.Arrays.asList(r.round(), r.testAccuracy(), r.testLoss(), r.meanTrainLoss(), r.clients(), r.rejected(),
                r.dropped(), r.stragglers(), r.localSteps(), r.bytesDown(), r.bytesUp(), r.cumulativeBytesDown(),
                r.cumulativeBytesUp());
    }
}
