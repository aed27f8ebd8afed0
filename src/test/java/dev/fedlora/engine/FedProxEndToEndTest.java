package dev.fedlora.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.SparkTestSession;
import dev.fedlora.TestData;
import dev.fedlora.config.ConfigLoader;
import dev.fedlora.metrics.MetricsRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FedProx end to end in local[2]: with {@code mu = 0} it is FedAvg (every metric identical), with
 * {@code mu > 0} local training changes (so the losses differ) and the model still learns.
 */
class FedProxEndToEndTest {
    @TempDir
    static Path tmp;

    private static List<MetricsRow> run(Path config, String name, String... extra) throws Exception {
        List<String> overrides = new ArrayList<>(List.of("experiment.name = " + name,
                "output.dir = \"" + tmp.resolve("runs") + "\""));
        overrides.addAll(List.of(extra));
        return ExperimentJob.run(List.of(ConfigLoader.load(config.toString(), overrides)), true,
                SparkTestSession::get).get(name);
    }

    @Test
    void zeroMuIsFedAvgAndAPositiveMuChangesLocalTraining() throws Exception {
        Path config = tmp.resolve("fedprox.conf");
        Files.writeString(config, """
                experiment { seed = 5, rounds = 4 }
                data { train-limit = 3000, test-limit = 1000 }
                model.base = "%s"
                lora.alpha = 8
                clients { count = 20, per-round = 6, partition.dirichlet-alpha = 0.1, ranks { policy = fixed, rank = 4 } }
                train { epochs = 2, learning-rate = 0.05, momentum = 0.9 }
                engine.tasks-per-round = 3
                """.formatted(TestData.smallBaseModel()));

        List<MetricsRow> fedavg = run(config, "fedavg", "strategy.name = fedavg");
        List<MetricsRow> zero = run(config, "fedprox-0", "strategy.name = fedprox", "strategy.fedprox.mu = 0");
        List<MetricsRow> prox = run(config, "fedprox-1", "strategy.name = fedprox", "strategy.fedprox.mu = 1");

        for (int i = 0; i < fedavg.size(); i++) {
            assertEquals(comparable(fedavg.get(i)), comparable(zero.get(i)), "mu = 0, round " + i);
        }
        assertNotEquals(fedavg.get(4).meanTrainLoss(), prox.get(4).meanTrainLoss(), "mu = 1 changes local training");
        assertEquals(fedavg.get(4).bytesUp(), prox.get(4).bytesUp(), "the same uploads as FedAvg");
        assertTrue(prox.get(4).testAccuracy() > prox.get(0).testAccuracy() + 0.1,
                "learns: " + prox.get(0).testAccuracy() + " -> " + prox.get(4).testAccuracy());
    }

    private static List<Object> comparable(MetricsRow r) {
        return Arrays.asList(r.round(), r.testAccuracy(), r.testLoss(), r.meanTrainLoss(), r.clients(),
                r.localSteps(), r.bytesDown(), r.bytesUp());
    }
}
