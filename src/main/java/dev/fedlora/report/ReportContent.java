package dev.fedlora.report;

import dev.fedlora.config.ConfigError;
import dev.fedlora.report.ReportDocument.Block;
import dev.fedlora.report.ReportDocument.Details;
import dev.fedlora.report.ReportDocument.Figure;
import dev.fedlora.report.ReportDocument.Heading;
import dev.fedlora.report.ReportDocument.Paragraph;
import dev.fedlora.report.ReportDocument.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What the report says about a set of run groups: the per-group table (mean ± sd over seeds, with
 * the per-seed values folded under it; personalised accuracy and epsilon columns only when some
 * run has them), the paired comparisons against a baseline group, the client-side figures, the
 * settings that tell the groups apart, and the plots.
 */
final class ReportContent {
    static final String NOT_REACHED = "not reached";
    static final int HASH_PREFIX = 12;
    /** The window of {@link AccuracyTargets#meanOfLast}. */
    static final int LAST_ROUNDS = 10;
    /** At most this many differing settings are tabulated. */
    static final int MAX_SETTINGS = 10;
    static final String PERSONAL = "personal acc (last)";
    static final String PERSONAL_SPREAD = "personal p10 / p90 (last)";
    static final String EPSILON = "ε (final)";
    static final String NONE = "n/a";

    /** A per-run figure that a paired comparison is made on. */
    enum Compared {
        FINAL("final accuracy", r -> AccuracyTargets.finalAccuracy(r.rows())),
        LAST("mean accuracy of the last " + LAST_ROUNDS + " rounds",
                r -> AccuracyTargets.meanOfLast(r.rows(), LAST_ROUNDS)),
        BEST("best accuracy", r -> AccuracyTargets.bestAccuracy(r.rows())),
        /** Compared only when every paired run has it. */
        PERSONAL_LAST("personalised accuracy (last round)",
                r -> lastValue(r.rows(), RoundMetrics::personalAccuracyMean));

        final String text;
        final Function<RunFolderReader, OptionalDouble> value;

        Compared(String text, Function<RunFolderReader, OptionalDouble> value) {
            this.text = text;
            this.value = value;
        }
    }

    /** One baseline-vs-group comparison on one figure. */
    record Pair(RunGroup baseline, RunGroup other, Compared figure, PairedComparison comparison) {}

    private ReportContent() {}

    /**
     * @param baseline the label of the group the others are compared with; {@code null} for the first
     *     (or, when {@code explicitPairs} are given, for no baseline comparisons)
     * @param explicitPairs {@code GROUP:BASELINE} label pairs to compare as well (GROUP minus BASELINE)
     * @throws ConfigError if {@code baseline} or a pair names no group
     */
    static ReportDocument build(String title, String command, List<RunGroup> groups, double target, String baseline,
                                List<String> explicitPairs, List<ReportCharts.Plot> plots) {
        String t = MarkdownReport.targetText(target);
        boolean replicated = groups.stream().anyMatch(RunGroup::replicated);
        List<Block> blocks = new ArrayList<>();
        if (replicated) {
            blocks.add(new Heading("Mean ± sd over seeds"));
            blocks.add(groupTable(groups, target));
            blocks.add(new Paragraph(groupNotes(t) + columnNotes(groups)));
            blocks.add(new Details("Per-seed values (" + groups.stream().mapToInt(g -> g.runs().size()).sum()
                    + " runs)", List.of(runTable(groups, target), new Paragraph(runNotes(t)))));
        } else {
            blocks.add(runTable(groups, target));
            blocks.add(new Paragraph(runNotes(t) + columnNotes(groups)));
        }
        List<Pair> pairs = new ArrayList<>();
        if (baseline != null || explicitPairs.isEmpty()) pairs.addAll(pairs(groups, baselineGroup(groups, baseline)));
        for (String spec : explicitPairs) {
            RunGroup[] ab = pairGroups(groups, spec);
            pairs.addAll(pair(ab[1], ab[0]));
        }
        if (!pairs.isEmpty()) {
            blocks.add(new Heading("Paired comparisons over seeds"));
            blocks.add(pairTable(pairs));
            blocks.add(new Paragraph(pairNotes()));
        }
        Table client = clientTable(groups);
        if (client != null) {
            blocks.add(new Heading("Client-side figures"));
            blocks.add(client);
            blocks.add(new Paragraph("Per run, then mean ± sd over a group's seeds. Final train loss is the"
                    + " clients' mean local training loss in the last round; client training s sums every client's"
                    + " local-training time over the run (with c cores busy it can exceed wall time c-fold);"
                    + " rejected updates were non-finite or over `robustness.max-update-norm`; dropped clients"
                    + " never reported."));
        }
        Table settings = settingsTable(groups);
        if (settings != null) {
            blocks.add(new Heading("Settings that differ between groups"));
            blocks.add(settings);
        }
        blocks.add(new Heading("Plots"));
        if (replicated) {
            blocks.add(new Paragraph("Lines are the mean over a group's seeds at each round, bands ±1 sample sd;"
                    + " in the MB plot a point's x is the mean cumulative MB of that round. A lone run is a line with"
                    + " markers."));
        }
        for (ReportCharts.Plot plot : plots) blocks.add(new Figure(plot.name(), plot.caption()));
        return new ReportDocument(title, command, blocks);
    }

    static RunGroup baselineGroup(List<RunGroup> groups, String label) {
        if (label == null) return groups.get(0);
        return groups.stream().filter(g -> g.label().equals(label)).findFirst().orElseThrow(() -> new ConfigError(
                "--baseline " + label + " names no group; the groups are: "
                        + groups.stream().map(RunGroup::label).collect(Collectors.joining(", "))));
    }

    /**
     * The groups a {@code --pair GROUP:BASELINE} names, as {@code {group, baseline}}; the split is
     * made at the colon where both sides are group labels, so labels may hold colons themselves.
     *
     * @throws ConfigError if no split names two different groups
     */
    static RunGroup[] pairGroups(List<RunGroup> groups, String spec) {
        for (int i = spec.indexOf(':'); i >= 0; i = spec.indexOf(':', i + 1)) {
            String a = spec.substring(0, i);
            String b = spec.substring(i + 1);
            var group = groups.stream().filter(g -> g.label().equals(a)).findFirst();
            var base = groups.stream().filter(g -> g.label().equals(b)).findFirst();
            if (group.isPresent() && base.isPresent() && group.get() != base.get()) {
                return new RunGroup[] {group.get(), base.get()};
            }
        }
        throw new ConfigError("--pair " + spec + " must be GROUP:BASELINE, two different group labels; the groups are: "
                + groups.stream().map(RunGroup::label).collect(Collectors.joining(", ")));
    }

    /** Every other group against the baseline, on each {@link Compared} figure, over the seeds both have (at least 2). */
    static List<Pair> pairs(List<RunGroup> groups, RunGroup baseline) {
        List<Pair> pairs = new ArrayList<>();
        for (RunGroup other : groups) {
            if (other != baseline) pairs.addAll(pair(baseline, other));
        }
        return pairs;
    }

    /**
     * {@code other} against {@code baseline} on each {@link Compared} figure that every paired run
     * has; none when they share fewer than 2 seeds.
     */
    static List<Pair> pair(RunGroup baseline, RunGroup other) {
        List<Long> seeds = baseline.seeds().stream().filter(Objects::nonNull)
                .filter(s -> other.seeds().contains(s)).distinct().sorted().toList();
        if (seeds.size() < 2) return List.of();
        List<Pair> pairs = new ArrayList<>();
        for (Compared figure : Compared.values()) {
            double[] a = values(baseline, seeds, figure);
            double[] b = values(other, seeds, figure);
            if (a == null || b == null) continue;
            pairs.add(new Pair(baseline, other, figure, PairedComparison.of(seeds, a, b, PairedComparison.LEVEL)));
        }
        return pairs;
    }

    /** The figure of the group's run of each seed; {@code null} if some run lacks it. */
    private static double[] values(RunGroup group, List<Long> seeds, Compared figure) {
        double[] v = new double[seeds.size()];
        for (int i = 0; i < seeds.size(); i++) {
            RunFolderReader run = group.runs().get(group.seeds().indexOf(seeds.get(i)));
            OptionalDouble value = figure.value.apply(run);
            if (value.isEmpty()) return null;
            v[i] = value.getAsDouble();
        }
        return v;
    }

    private static Table groupTable(List<RunGroup> groups, double target) {
        String t = MarkdownReport.targetText(target);
        boolean personal = hasPersonal(groups);
        boolean privacy = hasEpsilon(groups);
        List<List<String>> rows = new ArrayList<>();
        for (RunGroup g : groups) {
            List<RunFolderReader> runs = g.runs();
            List<String> row = new ArrayList<>(List.of(g.label(), g.strategy(), seedsText(g),
                    Integer.toString(rounds(g)),
                    spread(runs, r -> AccuracyTargets.finalAccuracy(r.rows()), "%.4f"),
                    spread(runs, r -> AccuracyTargets.bestAccuracy(r.rows()), "%.4f"),
                    spread(runs, r -> AccuracyTargets.meanOfLast(r.rows(), LAST_ROUNDS), "%.4f")));
            if (personal) {
                row.add(spread(runs, r -> lastValue(r.rows(), RoundMetrics::personalAccuracyMean), "%.4f", NONE));
                row.add(personalSpread(runs));
            }
            row.addAll(List.of(
                    spread(runs, r -> toDouble(AccuracyTargets.roundsToTarget(r.rows(), target)), "%.1f"),
                    spread(runs, r -> AccuracyTargets.mbToTarget(r.rows(), target), "%.2f"),
                    spread(runs, r -> OptionalDouble.of(AccuracyTargets.totalMbUp(r.rows())), "%.2f"),
                    spread(runs, r -> OptionalDouble.of(AccuracyTargets.totalMbDown(r.rows())), "%.2f")));
            if (privacy) row.add(spread(runs, r -> lastValue(r.rows(), RoundMetrics::epsilon), "%.2f", NONE));
            row.addAll(List.of(spread(runs, r -> r.wallSeconds() == null ? OptionalDouble.empty()
                            : OptionalDouble.of(r.wallSeconds()), "%.1f"),
                    g.key() == null ? "n/a" : "`" + g.key().substring(0, HASH_PREFIX) + "`"));
            rows.add(row);
        }
        List<String> headers = summaryHeaders(List.of("group", "strategy", "seeds"), t, personal, privacy,
                "replicate key");
        return new Table(headers, rightAligned(headers, Set.of("group", "strategy", "seeds", "replicate key")), rows);
    }

    /**
     * The summary tables' headers: {@code first}, then the accuracy figures, the personalised ones
     * when {@code personal}, the target and MB figures, epsilon when {@code privacy}, wall seconds
     * and {@code last}.
     */
    private static List<String> summaryHeaders(List<String> first, String t, boolean personal, boolean privacy,
                                               String last) {
        List<String> headers = new ArrayList<>(first);
        headers.addAll(List.of("rounds", "final accuracy", "best accuracy", "mean of last " + LAST_ROUNDS + " rounds"));
        if (personal) headers.addAll(List.of(PERSONAL, PERSONAL_SPREAD));
        headers.addAll(List.of("rounds to " + t, "MB to " + t, "MB up", "MB down"));
        if (privacy) headers.add(EPSILON);
        headers.addAll(List.of("wall s", last));
        return headers;
    }

    private static boolean[] rightAligned(List<String> headers, Set<String> leftAligned) {
        boolean[] right = new boolean[headers.size()];
        for (int i = 0; i < right.length; i++) right[i] = !leftAligned.contains(headers.get(i));
        return right;
    }

    private static boolean hasPersonal(List<RunGroup> groups) {
        return anyRow(groups, r -> r.personalAccuracyMean() != null);
    }

    private static boolean hasEpsilon(List<RunGroup> groups) {
        return anyRow(groups, r -> r.epsilon() != null);
    }

    private static boolean anyRow(List<RunGroup> groups, Predicate<RoundMetrics> has) {
        return groups.stream().flatMap(g -> g.runs().stream()).flatMap(r -> r.rows().stream()).anyMatch(has);
    }

    /** The last round with a personalised accuracy, if any. */
    private static Optional<RoundMetrics> lastPersonal(List<RoundMetrics> rows) {
        for (int i = rows.size() - 1; i >= 0; i--) {
            if (rows.get(i).personalAccuracyMean() != null) return Optional.of(rows.get(i));
        }
        return Optional.empty();
    }

    /**
     * {@code "p10 / p90"} of each run's {@link #lastPersonal} round, averaged over the runs that
     * have both, with "(k of n)" when some do not; "n/a" if none.
     */
    static String personalSpread(List<RunFolderReader> runs) {
        List<RoundMetrics> last = runs.stream().map(r -> lastPersonal(r.rows())).flatMap(Optional::stream)
                .filter(r -> r.personalAccuracyP10() != null && r.personalAccuracyP90() != null).toList();
        if (last.isEmpty()) return NONE;
        String text = String.format(Locale.ROOT, "%.4f / %.4f",
                last.stream().mapToDouble(RoundMetrics::personalAccuracyP10).average().orElseThrow(),
                last.stream().mapToDouble(RoundMetrics::personalAccuracyP90).average().orElseThrow());
        return last.size() < runs.size() ? text + " (" + last.size() + " of " + runs.size() + ")" : text;
    }

    private static Table runTable(List<RunGroup> groups, double target) {
        String t = MarkdownReport.targetText(target);
        boolean personal = hasPersonal(groups);
        boolean privacy = hasEpsilon(groups);
        List<List<String>> rows = new ArrayList<>();
        for (RunGroup g : groups) {
            for (RunFolderReader run : g.runs()) {
                var r = run.rows();
                OptionalInt rounds = AccuracyTargets.roundsToTarget(r, target);
                OptionalDouble mb = AccuracyTargets.mbToTarget(r, target);
                List<String> row = new ArrayList<>(List.of(g.replicated() ? run.experiment() : g.label(),
                        run.seed() == null ? "n/a" : Long.toString(run.seed()), run.strategy(),
                        Integer.toString(AccuracyTargets.rounds(r)),
                        MarkdownReport.accuracy(AccuracyTargets.finalAccuracy(r)),
                        MarkdownReport.accuracy(AccuracyTargets.bestAccuracy(r)),
                        MarkdownReport.accuracy(AccuracyTargets.meanOfLast(r, LAST_ROUNDS))));
                if (personal) {
                    row.add(MarkdownReport.accuracy(lastValue(r, RoundMetrics::personalAccuracyMean)));
                    row.add(personalSpread(List.of(run)));
                }
                row.addAll(List.of(rounds.isPresent() ? Integer.toString(rounds.getAsInt()) : NOT_REACHED,
                        mb.isPresent() ? MarkdownReport.megabytes(mb.getAsDouble()) : NOT_REACHED,
                        MarkdownReport.megabytes(AccuracyTargets.totalMbUp(r)),
                        MarkdownReport.megabytes(AccuracyTargets.totalMbDown(r))));
                if (privacy) row.add(spread(List.of(run), x -> lastValue(x.rows(), RoundMetrics::epsilon), "%.2f"));
                row.addAll(List.of(
                        run.wallSeconds() == null ? "n/a" : String.format(Locale.ROOT, "%.1f", run.wallSeconds()),
                        run.configHash() == null ? "n/a"
                                : "`" + run.configHash().substring(0, Math.min(HASH_PREFIX, run.configHash().length()))
                                + "`"));
                rows.add(row);
            }
        }
        List<String> headers = summaryHeaders(List.of("experiment", "seed", "strategy"), t, personal, privacy,
                "config");
        return new Table(headers, rightAligned(headers, Set.of("experiment", "strategy", "config")), rows);
    }

    private static Table pairTable(List<Pair> pairs) {
        List<List<String>> rows = new ArrayList<>();
        for (Pair p : pairs) {
            PairedComparison c = p.comparison();
            rows.add(List.of(p.other().label() + " − " + p.baseline().label(), p.figure().text,
                    c.seeds().stream().map(String::valueOf).collect(Collectors.joining(", ")),
                    signed(c.mean()), String.format(Locale.ROOT, "%.4f", c.sd()),
                    "[" + signed(c.low()) + ", " + signed(c.high()) + "]",
                    c.excludesZero() ? "yes" : "no",
                    c.bBetter() + " of " + c.n()));
        }
        return new Table(List.of("comparison", "figure", "seeds", "mean difference", "sd of differences",
                "95% CI", "CI excludes 0", "seeds where higher"),
                new boolean[] {false, false, false, true, true, true, false, true}, rows);
    }

    private static Table clientTable(List<RunGroup> groups) {
        boolean any = groups.stream().flatMap(g -> g.runs().stream()).flatMap(r -> r.rows().stream())
                .anyMatch(r -> r.meanTrainLoss() != null || r.clientTrainSeconds() != null || r.rejected() != null
                        || r.dropped() != null);
        if (!any) return null;
        List<List<String>> rows = new ArrayList<>();
        for (RunGroup g : groups) {
            List<RunFolderReader> runs = g.runs();
            rows.add(List.of(g.label(),
                    spread(runs, r -> lastValue(r.rows(), RoundMetrics::meanTrainLoss), "%.4f"),
                    spread(runs, r -> sum(r.rows(), RoundMetrics::clientTrainSeconds), "%.1f"),
                    spread(runs, r -> sum(r.rows(), x -> x.rejected() == null ? null : x.rejected().doubleValue()),
                            "%.1f"),
                    spread(runs, r -> sum(r.rows(), x -> x.dropped() == null ? null : x.dropped().doubleValue()),
                            "%.1f")));
        }
        return new Table(List.of("group", "final train loss", "client training s", "rejected updates",
                "dropped clients"), new boolean[] {false, true, true, true, true}, rows);
    }

    private static Table settingsTable(List<RunGroup> groups) {
        if (groups.size() < 2) return null;
        Map<String, List<String>> differing = RunGroup.differingSettings(groups);
        if (differing.isEmpty()) return null;
        List<String> keys = differing.keySet().stream().limit(MAX_SETTINGS).toList();
        List<String> headers = new ArrayList<>(List.of("group"));
        headers.addAll(keys.stream().map(k -> "`" + k + "`").toList());
        boolean[] right = new boolean[headers.size()];
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            List<String> row = new ArrayList<>(List.of(groups.get(i).label()));
            for (String k : keys) {
                String v = differing.get(k).get(i);
                row.add(v == null ? "n/a" : v);
            }
            rows.add(row);
        }
        return new Table(headers, right, rows);
    }

    /** Mean ± sd over the runs that have the figure, with "(k of n)" when some do not; "not reached" if none. */
    static String spread(List<RunFolderReader> runs, Function<RunFolderReader, OptionalDouble> figure, String format) {
        return spread(runs, figure, format, runs.size() == 1 ? NONE : NOT_REACHED);
    }

    /** {@link #spread(List, Function, String)} with {@code none} when no run has the figure. */
    static String spread(List<RunFolderReader> runs, Function<RunFolderReader, OptionalDouble> figure, String format,
                         String none) {
        double[] values = runs.stream().map(figure).filter(OptionalDouble::isPresent)
                .mapToDouble(OptionalDouble::getAsDouble).toArray();
        if (values.length == 0) return none;
        String text = MeanSd.of(values).format(format);
        return values.length < runs.size() ? text + " (" + values.length + " of " + runs.size() + ")" : text;
    }

    private static OptionalDouble toDouble(OptionalInt value) {
        return value.isPresent() ? OptionalDouble.of(value.getAsInt()) : OptionalDouble.empty();
    }

    private static OptionalDouble lastValue(List<RoundMetrics> rows, Function<RoundMetrics, Double> column) {
        for (int i = rows.size() - 1; i >= 0; i--) {
            Double v = column.apply(rows.get(i));
            if (v != null) return OptionalDouble.of(v);
        }
        return OptionalDouble.empty();
    }

    private static OptionalDouble sum(List<RoundMetrics> rows, Function<RoundMetrics, Double> column) {
        double[] values = rows.stream().map(column).filter(Objects::nonNull).mapToDouble(Double::doubleValue)
                .toArray();
        return values.length == 0 ? OptionalDouble.empty() : OptionalDouble.of(java.util.Arrays.stream(values).sum());
    }

    private static int rounds(RunGroup g) {
        return g.runs().stream().mapToInt(r -> AccuracyTargets.rounds(r.rows())).max().orElse(0);
    }

    private static String seedsText(RunGroup g) {
        return g.seeds().stream().map(s -> s == null ? "n/a" : Long.toString(s)).collect(Collectors.joining(", "));
    }

    static String signed(double value) {
        return String.format(Locale.ROOT, "%+.4f", value);
    }

    private static String groupNotes(String t) {
        return "Each row is a group of runs whose resolved configs agree on every key but `experiment.seed`,"
                + " `experiment.name` and `output.dir` (the replicate key is the first " + HASH_PREFIX + " hex digits"
                + " of the SHA-256 of the rest); figures are the mean ± sample sd over its seeds. Mean of last "
                + LAST_ROUNDS + " rounds averages the test accuracy of the last " + LAST_ROUNDS + " evaluated rounds"
                + " of a run. Rounds and MB to " + t + " average the seeds that reached it, with (k of n) when not all"
                + " did.";
    }

    private static String runNotes(String t) {
        return "Final accuracy is that of the last evaluated round; rounds to " + t
                + " is the first evaluated round whose test accuracy is >= " + t + " (round 0 is the initial"
                + " model). MB to " + t + " is the cumulative upload + download through that round. MB up /"
                + " MB down are totals over the run (1 MB = 10^6 bytes). Wall s is `results.wallSeconds` from the"
                + " run's manifest.json; config is the first " + HASH_PREFIX + " hex digits of its config hash.";
    }

    /** What the personalised and epsilon columns are, when the tables have them. */
    private static String columnNotes(List<RunGroup> groups) {
        String notes = "";
        if (hasPersonal(groups)) {
            notes += " Personal acc (last) is the run's last round with personalised figures: each reporting"
                    + " client's own model on its held-out split (`personal_accuracy_mean`, the mean over clients);"
                    + " p10 / p90 are that round's 10th and 90th percentiles over clients (averaged over a group's"
                    + " seeds, without sd).";
        }
        if (hasEpsilon(groups)) {
            notes += " ε (final) is the differential privacy spent after the last round (`epsilon`, at"
                    + " `privacy.delta`).";
        }
        return notes;
    }

    private static String pairNotes() {
        return "Per seed, the difference is the second group's figure minus the baseline's (the same seed gives both"
                + " groups the same client data, cohorts and initial adapter). The 95% CI is mean ± t(0.975, n−1) ·"
                + " sd / √n, Student t over the n paired per-seed differences; when it excludes 0, the gap is"
                + " unlikely to be seed-to-seed noise. With few seeds the interval is wide: t(0.975, 2) = 4.30 for"
                + " three.";
    }
}
