package dev.fedlora.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The report of replicates: mean ± sd per group, per-seed values folded, the paired comparison, report.html. */
class GroupedReportTest {
    private static final String SVG_NS = "http://www.w3.org/2000/svg";

    @TempDir
    Path dir;

    private int report(Path out, List<Path> runs, String... options) {
        List<String> args = new ArrayList<>(List.of("report", "--out", out.toString()));
        args.addAll(List.of(options));
        runs.forEach(r -> args.add(r.toString()));
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(err, true), args.toArray(String[]::new));
        lastErr = err.toString();
        return code;
    }

    private String lastErr;

    private static Document parseXml(Path file) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            return factory.newDocumentBuilder().parse(file.toFile());
        } catch (Exception e) {
            throw new AssertionError(file.getFileName() + " is not well-formed XML", e);
        }
    }

    @Test
    void groupsShowMeanAndSdWithPerSeedValuesFoldedAndAPairedComparison() throws IOException {
        Path out = dir.resolve("out");
        assertEquals(0, report(out, RunFixtures.twoGroups(dir.resolve("runs")), "--target-accuracy", "0.7"), lastErr);

        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("## Mean ± sd over seeds"), md);
        assertTrue(md.contains("| a | zero_pad | 1, 2, 3 | 2 | 0.7100 ± 0.0100 | 0.7100 ± 0.0100 | 0.4367 ± 0.0033 "
                + "| 2.0 ± 0.0 | 1.00 ± 0.00 | 0.20 ± 0.00 | 0.80 ± 0.00 | 10.0 ± 0.0 |"), md);
        assertTrue(md.contains("| b | replication_pad | 1, 2, 3 | 2 | 0.7300 ± 0.0200 |"), md);
        assertTrue(md.contains("<details><summary>Per-seed values (6 runs)</summary>"), md);
        assertTrue(md.contains("| a-seed2 | 2 | zero_pad | 2 | 0.7100 |"), md);
        // differences 0.01, 0.02, 0.03: mean 0.02, sd 0.01, 0.02 ± 4.3027 * 0.01 / sqrt(3) = [-0.0048, 0.0448]
        assertTrue(md.contains("| b − a | final accuracy | 1, 2, 3 | +0.0200 | 0.0100 | [-0.0048, +0.0448] | no "
                + "| 3 of 3 |"), md);
        assertTrue(md.contains("| group | `strategy.name` |"), md);
        assertTrue(md.contains("| a | \"zero_pad\" |"), md);
        assertTrue(md.contains("## Client-side figures"), md);
        assertTrue(md.contains("| a | 0.2900 ± 0.0100 | 4.0 ± 0.0 | 0.0 ± 0.0 | 0.0 ± 0.0 |"), md);
        for (String plot : List.of("accuracy-vs-round", "accuracy-vs-mb", "mb-per-round", "mb-each-round", "client-train-loss",
                "client-train-seconds")) {
            assertTrue(Files.exists(out.resolve(plot + ".png")), plot);
            assertTrue(md.contains("(" + plot + ".png)"), plot);
        }
    }

    @Test
    void theHtmlReportIsWellFormedAndInlinesEveryPlotAsSvg() throws IOException {
        Path out = dir.resolve("out");
        assertEquals(0, report(out, RunFixtures.twoGroups(dir.resolve("runs"))), lastErr);

        String html = Files.readString(out.resolve("report.html"));
        Document doc = parseXml(out.resolve("report.html"));
        NodeList svgs = doc.getElementsByTagNameNS(SVG_NS, "svg");
        assertEquals(6, svgs.getLength(), "one inline SVG per plot");
        Set<String> figures = IntStream.range(0, svgs.getLength())
                .mapToObj(i -> ((Element) svgs.item(i).getParentNode()).getAttribute("id")).collect(Collectors.toSet());
        assertEquals(Set.of("accuracy-vs-round", "accuracy-vs-mb", "mb-per-round", "mb-each-round", "client-train-loss",
                "client-train-seconds"), figures);
        assertEquals(1, doc.getElementsByTagName("details").getLength(), "per-seed values are folded");
        assertTrue(doc.getElementsByTagName("table").getLength() >= 4, "groups, per seed, pairs, clients, settings");
        assertFalse(html.contains("<?xml version"), "no XML prolog left inside the page");
        assertFalse(html.contains("src=") || html.contains(".png") || html.contains("<link"),
                "self-contained: no image, style sheet or script is loaded from elsewhere");
        assertTrue(html.contains("<td class=\"num\">[-0.0048, +0.0448]</td>"), "the paired interval");
        assertTrue(html.contains("<code>strategy.name</code>"), "code spans become <code>");
        // the band is drawn in the group's colour, translucent
        var blue = ReportCharts.colour(0);
        assertTrue(html.contains("fill:rgb(" + blue.getRed() + "," + blue.getGreen() + "," + blue.getBlue() + ")"), html
                .substring(0, 200));
    }

    @Test
    void theBaselineOptionChoosesTheGroupOthersAreComparedWith() throws IOException {
        Path out = dir.resolve("out");
        assertEquals(0, report(out, RunFixtures.twoGroups(dir.resolve("runs")), "--baseline", "b"), lastErr);

        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("| a − b | final accuracy | 1, 2, 3 | -0.0200 | 0.0100 | [-0.0448, +0.0048] | no "
                + "| 0 of 3 |"), md);
        assertTrue(md.contains("--baseline b"), "the command line is recorded");
    }

    @Test
    void anUnknownBaselineIsBadInputNamingTheGroups() throws IOException {
        Path out = dir.resolve("out");
        assertEquals(Main.EXIT_BAD_INPUT, report(out, RunFixtures.twoGroups(dir.resolve("runs")), "--baseline", "c"));
        assertTrue(lastErr.contains("--baseline c") && lastErr.contains("a, b"), lastErr);
        assertFalse(Files.exists(out.resolve("report.md")));
    }

    @Test
    void pairOptionsChooseTheComparisonsInsteadOfTheBaseline() throws IOException {
        Path out = dir.resolve("out");
        assertEquals(0, report(out, RunFixtures.twoGroups(dir.resolve("runs")), "--pair", "a:b"), lastErr);

        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("| a − b | final accuracy | 1, 2, 3 | -0.0200 | 0.0100 | [-0.0448, +0.0048] | no "
                + "| 0 of 3 |"), md);
        assertFalse(md.contains("| b − a |"), "no baseline comparison without --baseline");
        assertTrue(md.contains("--pair a:b"), "the command line is recorded");
    }

    @Test
    void pairsComeAfterTheBaselineComparisonsWhenBothAreGiven() throws IOException {
        Path out = dir.resolve("out");
        assertEquals(0, report(out, RunFixtures.twoGroups(dir.resolve("runs")), "--baseline", "a", "--pair", "a:b"),
                lastErr);

        String md = Files.readString(out.resolve("report.md"));
        int baselinePair = md.indexOf("| b − a | final accuracy |");
        int explicitPair = md.indexOf("| a − b | final accuracy |");
        assertTrue(baselinePair > 0 && explicitPair > baselinePair, md);
    }

    @Test
    void aPairNamingNoGroupIsBadInputNamingTheGroups() throws IOException {
        Path out = dir.resolve("out");
        List<Path> runs = RunFixtures.twoGroups(dir.resolve("runs"));
        for (String spec : List.of("a:c", "a", "a:a")) {
            assertEquals(Main.EXIT_BAD_INPUT, report(out, runs, "--pair", spec), spec);
            assertTrue(lastErr.contains("--pair " + spec) && lastErr.contains("a, b"), lastErr);
            assertFalse(Files.exists(out.resolve("report.md")));
        }
    }
}
