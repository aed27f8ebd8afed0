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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;

/**
 * The personalised-accuracy and epsilon columns: present when some run has them, with "n/a" for
 * the runs that do not, and absent from reports over files without them.
 */
class PersonalAndPrivacyReportTest {
    private static final List<String> NEW_COLUMNS = List.of("personal_accuracy_mean", "personal_accuracy_p10",
            "personal_accuracy_p90", "epsilon");

    @TempDir
    Path dir;

    private String lastErr;

    private int report(Path out, List<Path> runs, String... options) {
        List<String> args = new ArrayList<>(List.of("report", "--out", out.toString()));
        args.addAll(List.of(options));
        runs.forEach(r -> args.add(r.toString()));
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(err, true), args.toArray(String[]::new));
        lastErr = err.toString();
        return code;
    }

    /** {@code a-seed*}: the old columns only. */
    private List<Path> oldFormat(Path root) throws IOException {
        double[] last = {0.70, 0.71, 0.72};
        List<Path> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) runs.add(RunFixtures.run(root, "a-seed" + (i + 1), "zero_pad", i + 1, 0.1, 0.5, last[i]));
        return runs;
    }

    /**
     * {@code p-seed*} (fedsa_lora): personalised accuracy 0.50 / 0.40 / 0.60 in round 1, and in
     * round 2 means 0.80, 0.82, 0.87 (mean 0.83, sd sqrt(0.0026 / 2) = 0.0361), p10 0.60, 0.62, 0.64
     * (mean 0.62), p90 0.90, 0.91, 0.95 (mean 0.92); no epsilon.
     */
    private List<Path> personal(Path root) throws IOException {
        String[][] last = {{"0.8", "0.6", "0.9"}, {"0.82", "0.62", "0.91"}, {"0.87", "0.64", "0.95"}};
        List<Path> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String[] round2 = last[i];
            runs.add(RunFixtures.run(root, "p-seed" + (i + 1), "fedsa_lora", i + 1, NEW_COLUMNS,
                    r -> switch (r) {
                        case 0 -> List.of("", "", "", "");
                        case 1 -> List.of("0.5", "0.4", "0.6", "");
                        default -> List.of(round2[0], round2[1], round2[2], "");
                    }, 0.1, 0.6, 0.72 + 0.02 * i));
        }
        return runs;
    }

    /** {@code d-seed*} (fedavg with privacy): epsilon 1.0 after round 1, 2.40, 2.50, 2.90 after round 2 (mean 2.60, sd sqrt(0.14 / 2) = 0.26). */
    private List<Path> privacy(Path root) throws IOException {
        String[] last = {"2.4", "2.5", "2.9"};
        List<Path> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String epsilon = last[i];
            runs.add(RunFixtures.run(root, "d-seed" + (i + 1), "fedavg", i + 1, NEW_COLUMNS,
                    r -> List.of("", "", "", r == 0 ? "" : r == 1 ? "1.0" : epsilon), 0.1, 0.4, 0.60 + 0.02 * i));
        }
        return runs;
    }

    /** The cells of the row starting with {@code label} of the table whose header starts with {@code firstHeader}. */
    private static Map<String, String> row(String md, String firstHeader, String label) {
        List<String> lines = md.lines().toList();
        int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("| " + firstHeader + " |")).findFirst()
                .orElseThrow(() -> new AssertionError("no table headed " + firstHeader + " in\n" + md)));
        List<String> names = cells(lines.get(header));
        for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            List<String> cells = cells(lines.get(i));
            if (cells.get(0).equals(label)) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int c = 0; c < names.size(); c++) row.put(names.get(c), cells.get(c));
                return row;
            }
        }
        throw new AssertionError("no row " + label + " under " + firstHeader + " in\n" + md);
    }

    private static List<String> cells(String line) {
        return List.of(line.substring(2, line.length() - 2).split(" \\| "));
    }

    @Test
    void theSummaryTablesGainPersonalisedAccuracyAndEpsilonColumns() throws IOException {
        Path runs = dir.resolve("runs");
        List<Path> all = new ArrayList<>(oldFormat(runs));
        all.addAll(personal(runs));
        all.addAll(privacy(runs));
        Path out = dir.resolve("out");
        assertEquals(0, report(out, all, "--target-accuracy", "0.7"), lastErr);
        String md = Files.readString(out.resolve("report.md"));

        assertTrue(md.contains("| group | strategy | seeds | rounds | final accuracy | best accuracy | mean of last 10 rounds"
                + " | personal acc (last) | personal p10 / p90 (last) | rounds to 0.7 | MB to 0.7 | MB up | MB down"
                + " | ε (final) | wall s | replicate key |\n|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|"),
                md);
        Map<String, String> p = row(md, "group", "p");
        assertEquals("0.8300 ± 0.0361", p.get("personal acc (last)"));
        assertEquals("0.6200 / 0.9200", p.get("personal p10 / p90 (last)"));
        assertEquals("n/a", p.get("ε (final)"));
        assertEquals("0.7400 ± 0.0200", p.get("final accuracy"), "the other columns keep their places");
        Map<String, String> d = row(md, "group", "d");
        assertEquals("2.60 ± 0.26", d.get("ε (final)"));
        assertEquals("n/a", d.get("personal acc (last)"));
        assertEquals("n/a", d.get("personal p10 / p90 (last)"));
        Map<String, String> a = row(md, "group", "a");
        assertEquals(List.of("n/a", "n/a", "n/a"),
                List.of(a.get("personal acc (last)"), a.get("personal p10 / p90 (last)"), a.get("ε (final)")));
        assertEquals("10.0 ± 0.0", a.get("wall s"));

        Map<String, String> p2 = row(md, "experiment", "p-seed2");
        assertEquals("0.8200", p2.get("personal acc (last)"));
        assertEquals("0.6200 / 0.9100", p2.get("personal p10 / p90 (last)"));
        assertEquals("n/a", p2.get("ε (final)"));
        Map<String, String> d3 = row(md, "experiment", "d-seed3");
        assertEquals("2.90", d3.get("ε (final)"));
        assertEquals("n/a", d3.get("personal acc (last)"));
        assertTrue(md.contains("Personal acc (last) is") && md.contains("ε (final) is"), "the columns are explained");
        assertFalse(md.contains("| p − a | personalised accuracy"), "a has no personalised accuracy to pair with");

        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("<th class=\"num\">personal acc (last)</th>"), "html header");
        assertTrue(html.contains("<td class=\"num\">0.8300 ± 0.0361</td><td class=\"num\">0.6200 / 0.9200</td>"),
                "html cells");
        assertTrue(html.contains("<td class=\"num\">2.60 ± 0.26</td>"), "html epsilon");
        assertTrue(html.contains("<figure id=\"personal-accuracy-vs-round\">"), "the personalised plot is inlined");
        assertTrue(Files.exists(out.resolve("personal-accuracy-vs-round.png")));
        assertTrue(md.contains("(personal-accuracy-vs-round.png)"));
    }

    @Test
    void groupsThatBothHavePersonalisedAccuracyArePairedOnIt() throws IOException {
        Path runs = dir.resolve("runs");
        List<Path> all = new ArrayList<>(personal(runs));
        // q (3 rounds, so another replicate key): last-round personalised accuracy 0.82, 0.85, 0.91;
        // differences from p 0.02, 0.03, 0.04: mean 0.03, sd 0.01, 0.03 ± 4.3027 * 0.01 / sqrt(3)
        String[] last = {"0.82", "0.85", "0.91"};
        for (int i = 0; i < 3; i++) {
            String mean = last[i];
            all.add(RunFixtures.run(runs, "q-seed" + (i + 1), "fedsa_lora", i + 1, NEW_COLUMNS,
                    r -> r == 0 ? List.of("", "", "", "") : List.of(mean, "0.5", "0.95", ""), 0.1, 0.6, 0.7, 0.75));
        }
        Path out = dir.resolve("out");
        assertEquals(0, report(out, all, "--pair", "q:p"), lastErr);

        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("| q − p | personalised accuracy (last round) | 1, 2, 3 | +0.0300 | 0.0100 "
                + "| [+0.0052, +0.0548] | yes | 3 of 3 |"), md);
    }

    @Test
    void thePersonalisedPlotIsTheMeanOverSeedsOfEachRoundThatHasIt() throws IOException {
        Path runs = dir.resolve("runs");
        List<RunFolderReader> readers = new ArrayList<>();
        for (Path run : personal(runs)) readers.add(RunFolderReader.load(run));
        for (Path run : privacy(runs)) readers.add(RunFolderReader.load(run));
        XYChart chart = ReportCharts.personalByRound(RunGroup.of(readers));

        var p = chart.getSeriesMap().get("p (mean ± sd, 3 seeds)");
        assertEquals(List.of(1.0, 2.0), toList(p.getXData()), "round 0 has no personalised figure");
        assertEquals(0.5, p.getYData()[0], 1e-12);
        assertEquals(0.83, p.getYData()[1], 1e-12);
        assertFalse(chart.getSeriesMap().containsKey("d (mean ± sd, 3 seeds)"), "d has no personalised accuracy");
    }

    @Test
    void reportsOverFilesWithoutTheColumnsAreUnchanged() throws IOException {
        Path out = dir.resolve("out");
        assertEquals(0, report(out, RunFixtures.twoGroups(dir.resolve("runs")), "--target-accuracy", "0.7"), lastErr);

        String md = Files.readString(out.resolve("report.md"));
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(md.contains("| group | strategy | seeds | rounds | final accuracy | best accuracy | mean of last 10 rounds"
                + " | rounds to 0.7 | MB to 0.7 | MB up | MB down | wall s | replicate key |\n"
                + "|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|\n"), md);
        assertTrue(md.contains("| experiment | seed | strategy | rounds | final accuracy | best accuracy | mean of last 10"
                + " rounds | rounds to 0.7 | MB to 0.7 | MB up | MB down | wall s | config |\n"
                + "|---|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|\n"), md);
        for (String text : List.of(md, html)) {
            assertFalse(text.contains("personal") || text.contains("ε"), "no personalised or epsilon column");
        }
        assertEquals(3, md.lines().filter(l -> l.startsWith("| b − a |")).count(), "final, last-10 and best only");
        assertFalse(Files.exists(out.resolve("personal-accuracy-vs-round.png")));
    }

    private static List<Double> toList(double[] values) {
        List<Double> list = new ArrayList<>();
        for (double v : values) list.add(v);
        return list;
    }
}
