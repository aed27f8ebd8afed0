package dev.fedlora.report;

import dev.fedlora.config.ConfigError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code fedlora report --out DIR RUN_DIR...}: compares finished runs without Spark. Runs that
 * differ only by seed form a {@link RunGroup} and are shown as mean ± sd, with paired comparisons
 * against a baseline group. Writes the plots (PNG and SVG), {@code report.html} (self-contained,
 * the plots inline) and then {@code report.md}, each file through a temporary name;
 * {@code report.md} is removed first and written last, so a folder without it is an unfinished report.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Plot and tabulate finished runs: accuracy per round and per MB communicated, rounds and"
                + " MB to a target accuracy; runs that differ only by seed are averaged, with paired comparisons.")
public final class ReportCommand implements Callable<Integer> {
    static final String REPORT_FILE = "report.md";
    static final String HTML_FILE = "report.html";
    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_./=:,+@%-]+");

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Folder for the report, e.g. results/<name>.")
    Path out;

    @Option(names = "--title", paramLabel = "TEXT",
            description = "Report title (default: \"Report: \" and the name of the --out folder).")
    String title;

    @Option(names = "--target-accuracy", defaultValue = "0.75", paramLabel = "X",
            description = "Accuracy to count rounds and MB to, in (0, 1] (default: ${DEFAULT-VALUE}).")
    double targetAccuracy;

    @Option(names = "--baseline", paramLabel = "GROUP",
            description = "The group the others are compared with, by its label (default: the first run's group).")
    String baseline;

    @Option(names = "--pair", paramLabel = "GROUP:BASELINE",
            description = "Compare GROUP with BASELINE (GROUP minus BASELINE), by their labels; repeatable. With"
                    + " --pair and no --baseline only these pairs are tabulated; with both, the baseline's pairs"
                    + " come first.")
    List<String> pairs = new ArrayList<>();

    @Parameters(arity = "1..*", paramLabel = "RUN_DIR",
            description = "Finished run folders (with _SUCCESS), e.g. runs/<name>.")
    List<Path> runDirs = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        System.setProperty("java.awt.headless", "true");
        if (!(targetAccuracy > 0 && targetAccuracy <= 1)) {
            throw new ConfigError("--target-accuracy must be in (0, 1], found " + targetAccuracy);
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new ConfigError("--out " + out + " is a file, not a folder");
        }
        List<RunFolderReader> runs = new ArrayList<>();
        for (Path dir : runDirs) runs.add(RunFolderReader.load(dir));
        List<RunGroup> groups = RunGroup.of(runs);
        List<ReportCharts.Plot> plots = ReportCharts.all(groups, targetAccuracy);
        String heading = title != null ? title : "Report: " + out.toAbsolutePath().normalize().getFileName();
        ReportDocument doc = ReportContent.build(heading, command(), groups, targetAccuracy, baseline, pairs, plots);

        Files.createDirectories(out);
        Files.deleteIfExists(out.resolve(REPORT_FILE));
        Map<String, String> svgs = new LinkedHashMap<>();
        for (ReportCharts.Plot plot : plots) {
            ReportCharts.save(plot.chart(), out, plot.name());
            svgs.put(plot.name(), Files.readString(out.resolve(plot.name() + ".svg"), StandardCharsets.UTF_8));
        }
        AtomicFiles.writeString(out.resolve(HTML_FILE), HtmlReport.render(doc, svgs));
        AtomicFiles.writeString(out.resolve(REPORT_FILE), MarkdownReport.render(doc));
        System.out.printf("wrote %s and %s (%d runs in %d groups, target accuracy %s)%n", out.resolve(REPORT_FILE),
                HTML_FILE, runs.size(), groups.size(), MarkdownReport.targetText(targetAccuracy));
        return 0;
    }

    /** One legend / table label per run: the experiment name, with the folder added where names repeat. */
    static List<String> labels(List<RunFolderReader> runs) {
        Map<String, Integer> count = new HashMap<>();
        for (RunFolderReader run : runs) count.merge(run.experiment(), 1, Integer::sum);
        List<String> labels = new ArrayList<>();
        for (RunFolderReader run : runs) {
            labels.add(count.get(run.experiment()) == 1 ? run.experiment() : run.experiment() + " (" + run.dir() + ")");
        }
        return labels;
    }

    /** The command line that reproduces this report, with the paths as they were given. */
    String command() {
        List<String> words = new ArrayList<>(List.of("fedlora", "report", "--out", out.toString()));
        if (title != null) words.addAll(List.of("--title", title));
        words.addAll(List.of("--target-accuracy", MarkdownReport.targetText(targetAccuracy)));
        if (baseline != null) words.addAll(List.of("--baseline", baseline));
        for (String pair : pairs) words.addAll(List.of("--pair", pair));
        for (Path dir : runDirs) words.add(dir.toString());
        return String.join(" ", words.stream().map(ReportCommand::shellQuote).toList());
    }

    static String shellQuote(String word) {
        return SHELL_SAFE.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
