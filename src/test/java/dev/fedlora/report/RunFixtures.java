package dev.fedlora.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/** Finished run folders written by hand: config.conf, manifest.json, metrics.csv, _SUCCESS. */
final class RunFixtures {
    static final String HEADER = "experiment,strategy,round,test_accuracy,test_loss,mean_train_loss,clients,rejected,"
            + "dropped,local_steps,bytes_down,bytes_up,cumulative_bytes_down,cumulative_bytes_up,round_seconds,"
            + "client_train_seconds";
    static final long BYTES_UP = 100_000;
    static final long BYTES_DOWN = 400_000;

    private RunFixtures() {}

    /**
     * A run of {@code accuracy.length - 1} rounds (round 0 first) with the given test accuracies;
     * every round sends 0.1 MB up and 0.4 MB down, the train loss is {@code 1 - accuracy} and
     * client training takes 2 s a round.
     */
    static Path run(Path root, String name, String strategy, long seed, double... accuracy) throws IOException {
        return run(root, name, strategy, seed, List.of(), r -> List.of(), accuracy);
    }

    /**
     * {@link #run(Path, String, String, long, double...)} with more columns: {@code columns} ends the
     * header and {@code fields.apply(r)} ends round r's line.
     */
    static Path run(Path root, String name, String strategy, long seed, List<String> columns,
                    IntFunction<List<String>> fields, double... accuracy) throws IOException {
        Path run = root.resolve(name);
        Files.createDirectories(run.resolve("metrics.csv"));
        Files.writeString(run.resolve("config.conf"), """
                # resolved config of experiment %s
                experiment { name = "%s", seed = %d, rounds = %d }
                strategy { name = "%s" }
                train { learning-rate = 0.02 }
                output { dir = "%s" }
                """.formatted(name, name, seed, accuracy.length - 1, strategy, root));
        Files.writeString(run.resolve("manifest.json"), """
                {"experiment": "%s", "status": "complete", "configHash": "%s", "seed": %d, "strategy": "%s",
                 "rounds": %d, "results": {"wallSeconds": 10.0}}
                """.formatted(name, "c0ffee" + Math.abs(name.hashCode()), seed, strategy, accuracy.length - 1));
        List<String> lines = new ArrayList<>(List.of(String.join(",", header(columns))));
        for (int r = 0; r < accuracy.length; r++) {
            long up = r == 0 ? 0 : BYTES_UP;
            long down = r == 0 ? 0 : BYTES_DOWN;
            lines.add(String.format(Locale.ROOT, "%s,%s,%d,%s,0.5,%s,%d,0,0,10,%d,%d,%d,%d,1.0,%s", name, strategy, r,
                    accuracy[r], r == 0 ? "" : Double.toString(1 - accuracy[r]), r == 0 ? 0 : 10, down, up,
                    r * BYTES_DOWN, r * BYTES_UP, r == 0 ? "0.0" : "2.0")
                    + fields.apply(r).stream().map(f -> "," + f).collect(Collectors.joining()));
        }
        Files.writeString(run.resolve("metrics.csv/part-00000-abc-c000.csv"), String.join("\n", lines) + "\n");
        Files.writeString(run.resolve("_SUCCESS"), "");
        return run;
    }

    private static List<String> header(List<String> columns) {
        List<String> header = new ArrayList<>(List.of(HEADER));
        header.addAll(columns);
        return header;
    }

    /**
     * Two groups over seeds 1, 2, 3: {@code a-seed*} (zero_pad, final accuracy 0.70, 0.71, 0.72)
     * and {@code b-seed*} (replication_pad, 0.71, 0.73, 0.75): paired differences 0.01, 0.02, 0.03.
     */
    static List<Path> twoGroups(Path root) throws IOException {
        double[] a = {0.70, 0.71, 0.72};
        double[] b = {0.71, 0.73, 0.75};
        List<Path> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) runs.add(run(root, "a-seed" + (i + 1), "zero_pad", i + 1, 0.1, 0.5, a[i]));
        for (int i = 0; i < 3; i++) runs.add(run(root, "b-seed" + (i + 1), "replication_pad", i + 1, 0.1, 0.6, b[i]));
        return runs;
    }
}
