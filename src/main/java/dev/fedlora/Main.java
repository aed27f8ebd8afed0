package dev.fedlora;

import dev.fedlora.config.ConfigError;
import dev.fedlora.config.ConfigLoader;
import dev.fedlora.config.ExperimentConfig;
import dev.fedlora.data.DataException;
import dev.fedlora.engine.ExperimentJob;
import dev.fedlora.metrics.RunLockedException;
import dev.fedlora.model.BaseModelFile;
import dev.fedlora.pretrain.PretrainCommand;
import dev.fedlora.pretrain.TransformerPretrainCommand;
import dev.fedlora.runtime.SparkSessions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Entry point: {@code run} an experiment config (with overrides and sweeps) or {@code pretrain}
 * the base model. Exit codes: 0 done, 2 bad input (config, data, model file), 3 an output folder
 * locked by another run that is still alive ({@link RunLockedException}), 1 anything else.
 */
@Command(name = "fedlora", mixinStandardHelpOptions = true, version = "fedlora-spark 0.1.0",
        subcommands = {Main.Run.class, PretrainCommand.class, TransformerPretrainCommand.class,
                dev.fedlora.report.ReportCommand.class, dev.fedlora.bench.BenchCommand.class, Main.DiagnoseRoundOne.class},
        description = "Federated LoRA fine-tuning simulated on Apache Spark.")
public final class Main {
    public static final int EXIT_BAD_INPUT = 2;
    /** Another live run holds the output folder's lock; this run changed nothing. */
    public static final int EXIT_LOCKED = 3;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        return execute(new java.io.PrintWriter(System.err, true), args);
    }

    /** Runs the command line with errors printed to {@code err}; returns the exit code. */
    public static int execute(java.io.PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (isBadInput(e)) {
                cmd.getErr().println("error: " + e.getMessage());
                return EXIT_BAD_INPUT;
            }
            if (e instanceof RunLockedException) {
                cmd.getErr().println("error: " + e.getMessage());
                return EXIT_LOCKED;
            }
            throw e;
        });
        cli.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("error: " + e.getMessage());
            e.getCommandLine().usage(e.getCommandLine().getErr());
            return EXIT_BAD_INPUT;
        });
        return cli.execute(args);
    }

    static boolean isBadInput(Throwable e) {
        return e instanceof ConfigError || e instanceof DataException || e instanceof BaseModelFile.ModelFileException
                || e instanceof dev.fedlora.model.transformer.TransformerFileException;
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Run an experiment (or a sweep of them, or several configs) in one Spark application.")
    static final class Run implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "CONFIG", description = "HOCON experiment file, e.g. conf/tiers.conf")
        String config;

        @Parameters(index = "1..*", paramLabel = "KEY=VALUE|CONFIG",
                description = "Config overrides, e.g. experiment.rounds=5. A further CONFIG (a file ending in"
                        + " .conf) starts another experiment in the same application; the overrides after it"
                        + " apply to it, and --sweep and --seeds to every one.")
        List<String> overrides = new ArrayList<>();

        @Option(names = "--sweep", paramLabel = "KEY=V1,V2,...",
                description = "Run one experiment per value (repeatable: the cross product); each gets its own"
                        + " output folder named <experiment.name>-<value>...")
        List<String> sweeps = new ArrayList<>();

        @Option(names = "--seeds", paramLabel = "N", defaultValue = "0",
                description = "Run N replicates of every variant, with seeds experiment.seed, +1, ..., +N-1, each"
                        + " into <experiment.name>-seed<seed>; reports average them.")
        int seeds;

        @Option(names = "--force", description = "Replace existing results in the output folder.")
        boolean force;

        @Override
        public Integer call() throws Exception {
            List<ExperimentConfig> configs = new ArrayList<>();
            for (Experiment e : experiments(config, overrides)) {
                for (List<String> variant : Sweep.expand(e.file(), e.overrides(), sweeps, seeds)) {
                    configs.add(ConfigLoader.load(e.file(), variant));
                }
            }
            requireDistinctOutputs(configs);
            ExperimentJob.run(configs, force, SparkSessions::fromSubmit);
            return 0;
        }
    }

    /** One CONFIG of a run command line with the overrides that follow it. */
    record Experiment(String file, List<String> overrides) {}

    /**
     * Splits {@code CONFIG [KEY=VALUE ...] [CONFIG [KEY=VALUE ...]] ...}: a word without {@code =}
     * that ends in {@code .conf} starts the next experiment.
     *
     * @throws ConfigError for a word that is neither an override nor a config file name
     */
    static List<Experiment> experiments(String first, List<String> rest) {
        List<Experiment> out = new ArrayList<>();
        String file = first;
        List<String> overrides = new ArrayList<>();
        for (String word : rest) {
            if (word.indexOf('=') < 0 && word.endsWith(".conf")) {
                out.add(new Experiment(file, List.copyOf(overrides)));
                file = word;
                overrides = new ArrayList<>();
            } else if (word.indexOf('=') <= 0) {
                throw new ConfigError("override '" + word + "' must look like key=value (or name another config"
                        + " file, ending in .conf)");
            } else {
                overrides.add(word);
            }
        }
        out.add(new Experiment(file, List.copyOf(overrides)));
        return out;
    }

    /** @throws ConfigError if two experiments would write to the same output folder */
    static void requireDistinctOutputs(List<ExperimentConfig> configs) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (ExperimentConfig c : configs) {
            String dir = c.run().outputDir() + "/" + c.name();
            if (!seen.add(dir)) {
                throw new ConfigError("two experiments of this command write to " + dir
                        + ": give them different experiment.name values");
            }
        }
    }


    @Command(name = "diagnose-round1", mixinStandardHelpOptions = true,
            description = "Byun & Lee's round-1 diagnostic: each sampled client's accuracy on its own held-out data"
                    + " with its locally trained adapter (before) and with the global adapter after one aggregation,"
                    + " per strategy; writes OUT/round1-diagnostic.csv.")
    static final class DiagnoseRoundOne implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "CONFIG", description = "HOCON experiment file, e.g. conf/hetero-rank.conf")
        String config;

        @Parameters(index = "1..*", paramLabel = "KEY=VALUE", description = "Config overrides")
        List<String> overrides = new ArrayList<>();

        @Option(names = "--strategies", split = ",", defaultValue = "zero_pad,replication_pad",
                description = "Strategies to compare (default: ${DEFAULT-VALUE})")
        List<String> strategies;

        @Option(names = "--out", required = true, description = "Folder for round1-diagnostic.csv")
        String out;

        @Override
        public Integer call() throws Exception {
            List<dev.fedlora.engine.RoundOneDiagnostic.ClientRow> rows =
                    dev.fedlora.engine.RoundOneDiagnostic.run(config, overrides, strategies, SparkSessions::fromSubmit);
            String csv = dev.fedlora.engine.RoundOneDiagnostic.csv(rows, strategies);
            java.nio.file.Path dir = java.nio.file.Path.of(out);
            java.nio.file.Files.createDirectories(dir);
            java.nio.file.Path tmp = dir.resolve("round1-diagnostic.csv.tmp");
            java.nio.file.Files.writeString(tmp, csv);
            java.nio.file.Files.move(tmp, dir.resolve("round1-diagnostic.csv"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            System.out.print(csv);
            for (boolean high : new boolean[] {true, false}) {
                StringBuilder line = new StringBuilder(high ? "high-quality clients" : "other clients");
                List<dev.fedlora.engine.RoundOneDiagnostic.ClientRow> group = rows.stream().filter(r -> r.highQuality() == high).toList();
                if (group.isEmpty()) continue;
                line.append(String.format(java.util.Locale.ROOT, " (%d): before %.2f%%", group.size(),
                        100 * group.stream().mapToDouble(r -> r.before()).average().orElse(Double.NaN)));
                for (String s : strategies) {
                    line.append(String.format(java.util.Locale.ROOT, ", after %s %.2f%%", s,
                            100 * group.stream().mapToDouble(r -> r.after().get(s)).average().orElse(Double.NaN)));
                }
                System.out.println(line);
            }
            return 0;
        }
    }
}
