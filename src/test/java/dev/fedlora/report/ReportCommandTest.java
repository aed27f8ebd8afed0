package dev.fedlora.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.Main;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class ReportCommandTest {
    private static final String HEADER = "experiment,strategy,round,test_accuracy,test_loss,mean_train_loss,clients,"
            + "rejected,local_steps,bytes_down,bytes_up,cumulative_bytes_down,cumulative_bytes_up,round_seconds";

    @TempDir
    Path dir;

    /** Reaches 0.75 in round 2 after 1.2 MB; 0.3 MB up and 1.5 MB down in all. Round 1 not evaluated. */
    private Path alpha() throws IOException {
        return run("alpha", "zero_pad", "abcdef0123456789abcdef", "12.34", List.of(
                "alpha,zero_pad,0,0.1,2.3,,0,0,0,0,0,0,0,0.0",
                "alpha,zero_pad,1,,,1.2,10,0,100,500000,100000,500000,100000,1.5",
                "alpha,zero_pad,2,0.76,0.8,0.9,10,0,100,500000,100000,1000000,200000,1.5",
                "alpha,zero_pad,3,0.8,0.7,0.8,10,0,100,500000,100000,1500000,300000,1.5"));
    }

    /** Never reaches 0.75; its last round is not evaluated, so its final accuracy is round 2's. */
    private Path beta() throws IOException {
        return run("beta", "flasc", "0123456789abcdef00", "3", List.of(
                "beta,flasc,0,0.1,2.3,,0,0,0,0,0,0,0,0.0",
                "beta,flasc,1,0.5,1.1,1.0,10,0,100,250000,20000,250000,20000,1.0",
                "beta,flasc,2,0.7,0.9,0.9,10,0,100,250000,20000,500000,40000,1.0",
                "beta,flasc,3,,,0.8,10,0,100,250000,40000,750000,80000,1.0"));
    }

    private Path run(String name, String strategy, String hash, String wallSeconds, List<String> lines)
            throws IOException {
        Path run = dir.resolve("runs").resolve(name);
        Files.createDirectories(run.resolve("metrics.csv"));
        Files.writeString(run.resolve("manifest.json"), """
                {"experiment": "%s", "status": "complete", "configHash": "%s", "strategy": "%s", "rounds": 3,
                 "results": {"finalTestAccuracy": 0.8, "wallSeconds": %s}}
                """.formatted(name, hash, strategy, wallSeconds));
        Files.writeString(run.resolve("metrics.csv/part-00000-abc-c000.csv"),
                HEADER + "\n" + String.join("\n", lines) + "\n");
        Files.writeString(run.resolve("metrics.csv/_SUCCESS"), "");
        Files.writeString(run.resolve("_SUCCESS"), "");
        return run;
    }

    /** Parses XML without fetching its DTD. */
    private static Document parseXml(Path file) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            return factory.newDocumentBuilder().parse(file.toFile());
        } catch (Exception e) {
            throw new AssertionError(file.getFileName() + " is not well-formed XML", e);
        }
    }

    /** Runs the CLI with stderr captured; returns the exit code and what was printed there. */
    private static Result execute(String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.execute(args);
            return new Result(code, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(saved);
        }
    }

    private record Result(int code, String err) {}

    @Test
    void writesPlotsAndTableForTwoRuns() throws IOException {
        Path out = dir.resolve("results/two");
        Result result = execute("report", "--out", out.toString(), "--target-accuracy", "0.75",
                alpha().toString(), beta().toString());
        assertEquals(0, result.code(), result.err());

        try (Stream<Path> files = Files.list(out)) {
            Set<String> names = files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
            assertEquals(Set.of("accuracy-vs-round.png", "accuracy-vs-round.svg", "accuracy-vs-mb.png",
                    "accuracy-vs-mb.svg", "mb-per-round.png", "mb-per-round.svg", "mb-each-round.png",
                    "mb-each-round.svg", "client-train-loss.png",
                    "client-train-loss.svg", "report.md", "report.html"), names,
                    "exactly the outputs (no client-seconds plot: the CSVs lack that column), no temporary files left");
        }
        for (String png : List.of("accuracy-vs-round.png", "accuracy-vs-mb.png")) {
            BufferedImage image = ImageIO.read(out.resolve(png).toFile());
            assertNotNull(image, png + " should decode");
            assertEquals(ReportCharts.WIDTH, image.getWidth(), png);
            assertEquals(ReportCharts.HEIGHT, image.getHeight(), png);
        }
        for (String svg : List.of("accuracy-vs-round.svg", "accuracy-vs-mb.svg")) {
            Element root = parseXml(out.resolve(svg)).getDocumentElement();
            assertEquals("svg", root.getTagName(), svg);
            assertEquals(ReportCharts.WIDTH + "px", root.getAttribute("width"), svg);
            assertEquals(ReportCharts.HEIGHT + "px", root.getAttribute("height"), svg);
        }

        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.startsWith("# Report: two\n"), md);
        assertTrue(md.contains("fedlora report --out " + out + " --target-accuracy 0.75 " + alpha() + " " + beta()),
                md);
        assertTrue(md.contains("| alpha | n/a | zero_pad | 3 | 0.8000 | 0.8000 | 0.5533 | 2 | 1.20 | 0.30 | 1.50 "
                + "| 12.3 | `abcdef012345` |"), md);
        assertTrue(md.contains("| beta | n/a | flasc | 3 | 0.7000 | 0.7000 | 0.4333 | not reached | not reached "
                + "| 0.08 | 0.75 | 3.0 | `0123456789ab` |"), md);
        assertFalse(md.contains("<details>"), "lone runs: no per-seed fold");
        assertFalse(md.contains("Paired comparisons"), "lone runs: nothing to pair");
        assertTrue(md.contains("![Test accuracy per round](accuracy-vs-round.png)"), md);
        assertTrue(md.contains("(accuracy-vs-mb.png)"), md);
    }

    @Test
    void titleAndTargetAppearInTheReport() throws IOException {
        Path out = dir.resolve("titled");
        assertEquals(0, execute("report", "--out", out.toString(), "--title", "Rank sweep", "--target-accuracy", "0.7",
                alpha().toString(), beta().toString()).code());

        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.startsWith("# Rank sweep\n"), md);
        assertTrue(md.contains("--title 'Rank sweep' --target-accuracy 0.7 "), md);
        assertTrue(md.contains("| beta | n/a | flasc | 3 | 0.7000 | 0.7000 | 0.4333 | 2 | 0.54 |"), md);
    }

    @Test
    void unfinishedRunIsRefusedWithExitCode2() throws IOException {
        Path unfinished = beta();
        Files.delete(unfinished.resolve("_SUCCESS"));
        Path out = dir.resolve("refused");

        Result result = execute("report", "--out", out.toString(), alpha().toString(), unfinished.toString());

        assertEquals(Main.EXIT_BAD_INPUT, result.code());
        assertTrue(result.err().contains(unfinished.toString()) && result.err().contains("_SUCCESS"), result.err());
        assertFalse(Files.exists(out), "nothing is written when an input is refused");
    }

    @Test
    void runWithoutMetricsIsRefusedWithExitCode2() throws IOException {
        Path empty = dir.resolve("runs/empty");
        Files.createDirectories(empty);
        Files.writeString(empty.resolve("_SUCCESS"), "");

        Result result = execute("report", "--out", dir.resolve("out").toString(), empty.toString());

        assertEquals(Main.EXIT_BAD_INPUT, result.code());
        assertTrue(result.err().contains(empty.toString()) && result.err().contains("metrics"), result.err());
    }

    @Test
    void badArgumentsAreRefusedWithExitCode2() throws IOException {
        String run = alpha().toString();
        assertEquals(Main.EXIT_BAD_INPUT, execute("report", run).code(), "--out is required");
        assertEquals(Main.EXIT_BAD_INPUT, execute("report", "--out", dir.resolve("o").toString()).code(),
                "at least one run folder");
        Result target = execute("report", "--out", dir.resolve("o").toString(), "--target-accuracy", "75", run);
        assertEquals(Main.EXIT_BAD_INPUT, target.code());
        assertTrue(target.err().contains("--target-accuracy") && target.err().contains("75"), target.err());
    }

    @Test
    void repeatedExperimentNamesAreToldApartByFolder() {
        RunFolderReader a = new RunFolderReader(Path.of("runs/x"), "x", "flasc", null, null, List.of());
        RunFolderReader b = new RunFolderReader(Path.of("old/x"), "x", "flasc", null, null, List.of());
        RunFolderReader c = new RunFolderReader(Path.of("runs/y"), "y", "flasc", null, null, List.of());

        assertEquals(List.of("x (runs/x)", "x (old/x)", "y"), ReportCommand.labels(List.of(a, b, c)));
    }

    @Test
    void shellQuotingLeavesPlainWordsAlone() {
        assertEquals("runs/a-b_c.1", ReportCommand.shellQuote("runs/a-b_c.1"));
        assertEquals("'two words'", ReportCommand.shellQuote("two words"));
        assertEquals("'it'\\''s'", ReportCommand.shellQuote("it's"));
    }
}
