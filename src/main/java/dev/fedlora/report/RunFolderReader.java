package dev.fedlora.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import dev.fedlora.config.ConfigError;
import dev.fedlora.config.ReplicateKey;
import dev.fedlora.metrics.RunFolderWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads a finished run folder, as {@link RunFolderWriter} wrote it, for the report: the metrics
 * rows plus what the manifest and the resolved config record.
 *
 * @param dir the folder, as given on the command line
 * @param experiment the experiment name (manifest, else the metrics rows)
 * @param strategy the strategy name (manifest, else the metrics rows)
 * @param configHash the resolved config's hash, or {@code null} if the manifest has none
 * @param wallSeconds the run's wall time ({@code results.wallSeconds}), or {@code null}
 * @param rows one per round, sorted, round 0 first
 * @param seed {@code experiment.seed} (config.conf, else the manifest), or {@code null}
 * @param replicateKey the {@link ReplicateKey} of config.conf, or {@code null} without one (the
 *     run is then a group of its own)
 * @param settings config.conf's settings without the {@link ReplicateKey#IGNORED} keys (empty
 *     without config.conf)
 */
public record RunFolderReader(Path dir, String experiment, String strategy, String configHash, Double wallSeconds,
                        List<RoundMetrics> rows, Long seed, String replicateKey, Map<String, String> settings) {
    static final String CONFIG_FILE = "config.conf";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A run known only by its metrics and manifest figures (no config, no seed). */
    public RunFolderReader(Path dir, String experiment, String strategy, String configHash, Double wallSeconds,
                     List<RoundMetrics> rows) {
        this(dir, experiment, strategy, configHash, wallSeconds, rows, null, null, Map.of());
    }

    /**
     * Reads a run folder.
     * @throws ConfigError if it is not a directory, has no {@code _SUCCESS} (an unfinished run),
     *     has no metrics or no evaluated round, its manifest is not valid JSON or its config.conf
     *     not valid HOCON
     */
    public static RunFolderReader load(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new ConfigError("run folder " + dir + " does not exist or is not a folder");
        }
        if (!Files.exists(dir.resolve(RunFolderWriter.SUCCESS))) {
            throw new ConfigError("run folder " + dir + " has no " + RunFolderWriter.SUCCESS + ": the run did not finish");
        }
        List<RoundMetrics> rows = RunMetrics.read(dir);
        if (rows.stream().allMatch(r -> r.testAccuracy() == null)) {
            throw new ConfigError("run folder " + dir + " has no evaluated round: test_accuracy is empty in every row");
        }
        JsonNode manifest = manifest(dir);
        JsonNode wallSeconds = manifest.path("results").path("wallSeconds");
        RoundMetrics first = rows.get(0);
        Config config = config(dir);
        Long seed = null;
        if (config != null && config.hasPath("experiment.seed")) {
            seed = config.getLong("experiment.seed");
        } else if (manifest.path("seed").isIntegralNumber()) {
            seed = manifest.path("seed").asLong();
        }
        return new RunFolderReader(dir, manifest.path("experiment").asText(first.experiment()),
                manifest.path("strategy").asText(first.strategy()), manifest.path("configHash").asText(null),
                wallSeconds.isNumber() ? wallSeconds.asDouble() : null, rows, seed,
                config == null ? null : ReplicateKey.of(config),
                config == null ? Map.of() : ReplicateKey.settings(config));
    }

    private static JsonNode manifest(Path dir) throws IOException {
        Path file = dir.resolve("manifest.json");
        if (!Files.exists(file)) return JSON.missingNode();
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new ConfigError("run folder " + dir + ": manifest.json is not valid JSON (" + e.getMessage() + ")",
                    e);
        }
    }

    private static Config config(Path dir) throws IOException {
        Path file = dir.resolve(CONFIG_FILE);
        if (!Files.exists(file)) return null;
        return ReplicateKey.parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }
}
