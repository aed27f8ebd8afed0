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

class SweepTest {
    @TempDir
    Path dir;

    private String config() throws IOException {
        Path file = dir.resolve("exp.conf");
        Files.writeString(file, "experiment { name = hr, seed = 7, rounds = 3 }\n");
        return file.toString();
    }

    @Test
    void seedsRunReplicatesFromTheConfigsSeedNamedBySeed() throws IOException {
        List<List<String>> variants = Sweep.expand(config(), List.of("train.epochs=2"), List.of(), 3);

        assertEquals(List.of(
                List.of("train.epochs=2", "experiment.seed=7", "experiment.name=\"hr-seed7\""),
                List.of("train.epochs=2", "experiment.seed=8", "experiment.name=\"hr-seed8\""),
                List.of("train.epochs=2", "experiment.seed=9", "experiment.name=\"hr-seed9\"")), variants);
    }

    @Test
    void seedsAreTheInnermostAxisOfASweep() throws IOException {
        String file = config();
        List<List<String>> variants = Sweep.expand(file, List.of(), List.of("strategy.name=zero_pad,replication_pad"), 2);

        List<String> names = variants.stream().map(v -> ConfigLoader.load(file, v).name()).toList();
        assertEquals(List.of("hr-zero_pad-seed7", "hr-zero_pad-seed8", "hr-replication_pad-seed7",
                "hr-replication_pad-seed8"), names);
        ExperimentConfig first = ConfigLoader.load(file, variants.get(0));
        ExperimentConfig second = ConfigLoader.load(file, variants.get(1));
        ExperimentConfig other = ConfigLoader.load(file, variants.get(2));
        assertEquals(8, second.seed());
        assertEquals(first.replicateKey(), second.replicateKey(), "replicates share the replicate key");
        assertTrue(!first.replicateKey().equals(other.replicateKey()), "another strategy is another group");
    }

    @Test
    void aSeedOverrideMovesTheFirstSeed() throws IOException {
        List<List<String>> variants = Sweep.expand(config(), List.of("experiment.seed=20"), List.of(), 2);

        assertEquals(List.of("experiment.seed=20", "experiment.seed=21", "experiment.name=\"hr-seed21\""),
                variants.get(1));
    }

    @Test
    void withoutSeedsOrSweepsTheConfigRunsOnceUnderItsOwnName() throws IOException {
        assertEquals(List.of(List.of("train.epochs=2")), Sweep.expand(config(), List.of("train.epochs=2"), List.of(), 0));
    }

    @Test
    void seedsWithASeedSweepOrANegativeCountAreRefused() throws IOException {
        String file = config();
        String both = assertThrows(ConfigError.class,
                () -> Sweep.expand(file, List.of(), List.of("experiment.seed=1,2"), 3)).getMessage();
        assertTrue(both.contains("--seeds 3") && both.contains("experiment.seed"), both);
        String negative = assertThrows(ConfigError.class, () -> Sweep.expand(file, List.of(), List.of(), -1))
                .getMessage();
        assertTrue(negative.contains("--seeds") && negative.contains("-1"), negative);
    }
}
