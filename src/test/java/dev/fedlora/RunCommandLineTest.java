package dev.fedlora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.config.ConfigError;
import dev.fedlora.config.ConfigLoader;
import dev.fedlora.config.ExperimentConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run CONFIG [KEY=VALUE ...] [CONFIG [KEY=VALUE ...]] ...}: several experiments in one application. */
class RunCommandLineTest {
    @TempDir
    Path dir;

    @Test
    void aFurtherConfigStartsAnotherExperimentWithTheOverridesAfterIt() {
        List<Main.Experiment> e = Main.experiments("a.conf", List.of("x=1", "y=2", "b.conf", "z=3", "c.conf"));

        assertEquals(List.of(new Main.Experiment("a.conf", List.of("x=1", "y=2")),
                new Main.Experiment("b.conf", List.of("z=3")), new Main.Experiment("c.conf", List.of())), e);
    }

    @Test
    void oneConfigIsOneExperiment() {
        assertEquals(List.of(new Main.Experiment("a.conf", List.of("x=1"))), Main.experiments("a.conf", List.of("x=1")));
    }

    @Test
    void anOverrideWithAnEqualsSignIsNeverAConfigEvenIfItEndsInConf() {
        assertEquals(List.of(new Main.Experiment("a.conf", List.of("model.base=\"x.conf\""))),
                Main.experiments("a.conf", List.of("model.base=\"x.conf\"")));
    }

    @Test
    void aWordThatIsNeitherAnOverrideNorAConfigIsRefused() {
        String msg = assertThrows(ConfigError.class, () -> Main.experiments("a.conf", List.of("rounds")))
                .getMessage();
        assertTrue(msg.contains("'rounds'") && msg.contains("key=value") && msg.contains(".conf"), msg);
        assertThrows(ConfigError.class, () -> Main.experiments("a.conf", List.of("=5")));
    }

    @Test
    void twoExperimentsWritingToOneFolderAreRefused() throws IOException {
        Path file = dir.resolve("exp.conf");
        Files.writeString(file, "experiment { name = hr, seed = 7, rounds = 3 }\n");
        ExperimentConfig a = ConfigLoader.load(file.toString(), List.of("strategy.name=zero_pad"));
        ExperimentConfig b = ConfigLoader.load(file.toString(), List.of("strategy.name=replication_pad"));
        ExperimentConfig c = ConfigLoader.load(file.toString(), List.of("experiment.name=other"));

        String msg = assertThrows(ConfigError.class, () -> Main.requireDistinctOutputs(List.of(a, c, b))).getMessage();
        assertTrue(msg.contains("runs/hr") && msg.contains("experiment.name"), msg);
        Main.requireDistinctOutputs(List.of(a, c));
    }
}
