package dev.fedlora.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fedlora.config.ConfigError;
import dev.fedlora.metrics.RunOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A finished run folder as the report sees it: the metrics rows plus what the manifest records.
 *
 * @param dir the folder, as given on the command line
 * @param experiment the experiment name (manifest, else the metrics rows)
 * @param strategy the strategy name (manifest, else the metrics rows)
 * @param configHash the resolved config's hash, or {@code null} if the manifest has none
 * @param wallSeconds the run's wall time ({@code results.wallSeconds}), or {@code null}
 * @param rows one per round, sorted, round 0 first
 */
public record RunFolder(Path dir, String experiment, String strategy, String configHash, Double wallSeconds,
                        List<RoundMetrics> rows) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Reads a run folder.
     * @throws ConfigError if it is not a directory, has no {@code _SUCCESS} (an unfinished run),
     *     has no metrics or no evaluated round, or its manifest is not valid JSON
     */
    public static RunFolder load(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new ConfigError("run folder " + dir + " does not exist or is not a folder");
        }
        if (!Files.exists(dir.resolve(RunOutput.SUCCESS))) {
            throw new ConfigError("run folder " + dir + " has no " + RunOutput.SUCCESS + ": the run did not finish");
        }
        List<RoundMetrics> rows = RunMetrics.read(dir);
        if (rows.stream().allMatch(r -> r.testAccuracy() == null)) {
            throw new ConfigError("run folder " + dir + " has no evaluated round: test_accuracy is empty in every row");
        }
        JsonNode manifest = manifest(dir);
        JsonNode wallSeconds = manifest.path("results").path("wallSeconds");
        RoundMetrics first = rows.get(0);
        return new RunFolder(dir, manifest.path("experiment").asText(first.experiment()),
                manifest.path("strategy").asText(first.strategy()), manifest.path("configHash").asText(null),
                wallSeconds.isNumber() ? wallSeconds.asDouble() : null, rows);
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
}
