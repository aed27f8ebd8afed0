package dev.fedlora.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.strategy.registry.Strategies;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every experiment config under {@code conf/} loads, validates and builds its strategy, and its
 * experiment name is its file name: a config the README or a results script names cannot be broken
 * by a renamed key without a failing test.
 */
class ShippedConfigsTest {
    static Stream<String> configs() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("conf"))) {
            List<String> names = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".conf") && !n.equals("spark-defaults.conf")).sorted().toList();
            assertTrue(names.size() >= 12, "found " + names);
            return names.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void loadsAndBuildsItsStrategy(String file) {
        ExperimentConfig cfg = ConfigLoader.load("conf/" + file, List.of());
        assertEquals(file.substring(0, file.length() - ".conf".length()), cfg.name());
        assertTrue(cfg.rounds() > 0);
        Strategies.create(cfg.strategy());
    }
}
