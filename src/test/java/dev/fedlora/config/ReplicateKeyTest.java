package dev.fedlora.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplicateKeyTest {
    @TempDir
    Path dir;

    private ExperimentConfig load(String... overrides) throws IOException {
        Path file = dir.resolve("exp.conf");
        Files.writeString(file, """
                # a comment that must not matter
                experiment { name = a, seed = 7, rounds = 3 }
                strategy.name = replication_pad
                train.learning-rate = 0.02
                strategy.flasc.adam.epsilon = 1e-8
                """);
        return ConfigLoader.load(file.toString(), List.of(overrides));
    }

    @Test
    void seedNameAndOutputFolderDoNotChangeTheKeyButAnythingElseDoes() throws IOException {
        ExperimentConfig base = load();

        assertEquals(base.replicateKey(), load("experiment.seed=8", "experiment.name=b", "output.dir=elsewhere")
                .replicateKey());
        assertNotEquals(base.hash(), load("experiment.seed=8").hash(), "the config hash still tells them apart");
        assertNotEquals(base.replicateKey(), load("strategy.name=zero_pad").replicateKey());
        assertNotEquals(base.replicateKey(), load("train.learning-rate=0.03").replicateKey());
        assertNotEquals(base.replicateKey(), load("experiment.rounds=4").replicateKey());
    }

    @Test
    void theKeyOfTheWrittenConfigEqualsTheKeyOfTheRun() throws IOException {
        ExperimentConfig c = load();
        String configConf = "# resolved config of experiment a, hash " + c.hash() + "\n" + c.rendered();

        assertEquals(c.replicateKey(), ReplicateKey.of(ReplicateKey.parse(configConf, "config.conf")));
    }

    @Test
    void settingsLeaveOutTheIgnoredKeys() throws IOException {
        var settings = ReplicateKey.settings(ReplicateKey.parse(load().rendered(), "config.conf"));

        assertEquals("\"replication_pad\"", settings.get("strategy.name"));
        assertEquals("0.02", settings.get("train.learning-rate"));
        for (String ignored : ReplicateKey.IGNORED) assertFalse(settings.containsKey(ignored), ignored);
    }

    @Test
    void unparsableTextIsAConfigErrorNamingTheFile() {
        String message = assertThrows(ConfigError.class, () -> ReplicateKey.parse("a = {", "runs/x/config.conf"))
                .getMessage();
        assertEquals(true, message.contains("runs/x/config.conf"), message);
    }
}
