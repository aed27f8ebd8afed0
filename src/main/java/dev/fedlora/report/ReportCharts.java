package dev.fedlora.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.regex.Pattern;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.VectorGraphicsEncoder.VectorGraphicsFormat;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's plots, one colour per {@link RunGroup}: a group of replicates is drawn as the mean
 * over its seeds with a band of ±1 sample sd (an XChart polygon-area series between mean - sd
 * and mean + sd, under the line), a lone run as its own line with markers.
 */
public final class ReportCharts {
    public static final int WIDTH = 960;
    public static final int HEIGHT = 600;
    public static final String BY_ROUND = "accuracy-vs-round";
    public static final String BY_MB = "accuracy-vs-mb";
    public static final String PERSONAL_BY_ROUND = "personal-accuracy-vs-round";
    public static final String MB_PER_ROUND = "mb-per-round";
    public static final String MB_EACH_ROUND = "mb-each-round";
    public static final String TRAIN_LOSS = "client-train-loss";
    public static final String TRAIN_SECONDS = "client-train-seconds";
    static final String MB_AXIS = "cumulative MB communicated, upload + download (1 MB = 10^6 bytes)";
    /** Okabe & Ito's colour-blind-safe palette (without its yellow, faint on white). */
    static final List<Color> PALETTE = List.of(new Color(0, 114, 178), new Color(213, 94, 0), new Color(0, 158, 115),
            new Color(204, 121, 167), new Color(230, 159, 0), new Color(86, 180, 233), Color.BLACK);
    private static final int BAND_ALPHA = 56;
    private static final Pattern LONG_DECIMAL = Pattern.compile("(\\d\\.\\d{2})\\d+");
    /** Up to this many legend characters the legend is one line below the plot, ... */
    private static final int LEGEND_BELOW_MAX_CHARS = 90;
    /** ... else up to this many entries one per line below it, else a column to its right. */
    private static final int LEGEND_BELOW_MAX_ROWS = 6;

    /** A chart as written: its file name (without extension), its caption and the chart itself. */
    public record Plot(String name, String caption, Chart<?, ?> chart) {}

    private ReportCharts() {}

    /** The colour of the i-th group. */
    public static Color colour(int group) {
        return PALETTE.get(group % PALETTE.size());
    }

    /**
     * Every plot the runs have data for: accuracy per round and per cumulative MB always;
     * personalised accuracy per round when some run has it; MB per round when the metrics have
     * per-round byte counts; client train loss and client training seconds per round when they have
     * those columns.
     */
    public static List<Plot> all(List<RunGroup> groups, double target) {
        List<Plot> plots = new ArrayList<>();
        plots.add(new Plot(BY_ROUND, "Test accuracy per round", byRound(groups, target)));
        if (any(groups, r -> r.personalAccuracyMean() != null)) {
            plots.add(new Plot(PERSONAL_BY_ROUND, "Personalised accuracy per round: each reporting client's own model"
                    + " on its held-out split, mean over the clients", personalByRound(groups)));
        }
        plots.add(new Plot(BY_MB, "Test accuracy vs. cumulative MB communicated", byMb(groups, target)));
        plots.add(new Plot(MB_PER_ROUND, "Mean MB per round of each group, upload and download (bars: mean over"
                + " seeds, whiskers: ±1 sd)", mbPerRound(groups)));
        if (any(groups, r -> r.bytesUp() != null && r.bytesDown() != null)) {
            plots.add(new Plot(MB_EACH_ROUND, "MB sent in each round, upload and download", mbEachRound(groups)));
        }
        if (any(groups, r -> r.meanTrainLoss() != null)) {
            plots.add(new Plot(TRAIN_LOSS, "Clients' mean local training loss per round",
                    perRound(groups, "Clients' mean training loss per round", "mean client train loss",
                            RoundMetrics::meanTrainLoss)));
        }
        if (any(groups, r -> r.clientTrainSeconds() != null && r.round() > 0)) {
            plots.add(new Plot(TRAIN_SECONDS, "Client training seconds per round (summed over the round's clients)",
                    perRound(groups, "Client training time per round", "client training seconds (summed)",
                            r -> r.round() == 0 ? null : r.clientTrainSeconds())));
        }
        return plots;
    }

    public static XYChart byRound(List<RunGroup> groups, double target) {
        XYChart chart = accuracy("Test accuracy per round", "round", groups, target, r -> r.round());
        chart.getStyler().setXAxisDecimalPattern("0");
        return chart;
    }

    /** The mean over clients of their own models' held-out accuracy, per round (rounds without it left out). */
    public static XYChart personalByRound(List<RunGroup> groups) {
        XYChart chart = base("Personalised accuracy per round", "round", "personalised accuracy (mean over clients)",
                labels(groups, ""));
        accuracyAxis(chart.getStyler());
        chart.getStyler().setXAxisDecimalPattern("0");
        addGroups(chart, groups, r -> r.round(), RoundMetrics::personalAccuracyMean);
        return chart;
    }

    public static XYChart byMb(List<RunGroup> groups, double target) {
        XYChart chart = accuracy("Test accuracy vs. communication", MB_AXIS, groups, target,
                AccuracyTargets::cumulativeMb);
        chart.getStyler().setXAxisDecimalPattern("#,##0");
        return chart;
    }

    /**
     * Per group, the MB a round costs on average (total over the run / rounds), upload and download
     * side by side: bars the mean over the group's seeds, error bars ±1 sd.
     */
    public static CategoryChart mbPerRound(List<RunGroup> groups) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("MB per round, by group").xAxisTitle("group").yAxisTitle("MB per round (1 MB = 10^6 bytes)")
                .build();
        var styler = chart.getStyler();
        whiteBackground(styler);
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setYAxisMin(0.0);
        styler.setYAxisDecimalPattern("0.00");
        styler.setLabelsVisible(true);
        styler.setLabelsFont(styler.getAxisTickLabelsFont());
        styler.setLabelsPosition(0.5);
        styler.setSeriesColors(new Color[] {new Color(64, 64, 64), new Color(170, 170, 170)});
        styler.setErrorBarsColor(Color.BLACK);
        styler.setAntiAlias(true);
        List<String> names = groups.stream().map(RunGroup::label).toList();
        for (boolean up : new boolean[] {true, false}) {
            List<Double> means = new ArrayList<>();
            List<Double> sds = new ArrayList<>();
            for (RunGroup g : groups) {
                MeanSd mb = MeanSd.of(g.runs().stream().mapToDouble(r -> mbPerRound(r, up)).toArray());
                means.add(mb.mean());
                sds.add(mb.n() > 1 ? mb.sd() : 0.0);
            }
            chart.addSeries(up ? "upload" : "download", names, means, sds);
        }
        return chart;
    }

    /** A run's mean MB per training round, one direction. */
    static double mbPerRound(RunFolderReader run, boolean up) {
        int rounds = Math.max(1, AccuracyTargets.rounds(run.rows()));
        return (up ? AccuracyTargets.totalMbUp(run.rows()) : AccuracyTargets.totalMbDown(run.rows())) / rounds;
    }

    /** Upload MB per round (solid) and download MB per round (dashed), the mean over each group's seeds. */
    public static XYChart mbEachRound(List<RunGroup> groups) {
        XYChart chart = base("MB in each round: upload (solid), download (dashed)", "round",
                "MB per round (1 MB = 10^6 bytes)", labels(groups, " up"));
        chart.getStyler().setXAxisDecimalPattern("0");
        chart.getStyler().setYAxisDecimalPattern("0.00");
        for (int i = 0; i < groups.size(); i++) {
            RunGroup g = groups.get(i);
            GroupCurve up = GroupCurve.of(g, r -> r.round(), r -> r.round() == 0 || r.bytesUp() == null ? null
                    : r.bytesUp() / AccuracyTargets.BYTES_PER_MB);
            GroupCurve down = GroupCurve.of(g, r -> r.round(), r -> r.round() == 0 || r.bytesDown() == null ? null
                    : r.bytesDown() / AccuracyTargets.BYTES_PER_MB);
            line(chart, g.label() + " up", up, colour(i), null).setMarker(SeriesMarkers.NONE);
            line(chart, g.label() + " down", down, colour(i), dashed(1.5f)).setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }

    /** A per-round figure of each group: mean and ±1 sd band over seeds. */
    static XYChart perRound(List<RunGroup> groups, String title, String yTitle, Function<RoundMetrics, Double> y) {
        XYChart chart = base(title, "round", yTitle, labels(groups, ""));
        chart.getStyler().setXAxisDecimalPattern("0");
        addGroups(chart, groups, r -> r.round(), y);
        return chart;
    }

    /**
     * Writes {@code NAME.png} and {@code NAME.svg} into {@code dir}, each through a temporary file.
     * The SVG's coordinates are cut to 1/100 px (see {@link #compactSvg}).
     */
    public static void save(Chart<?, ?> chart, Path dir, String name) throws IOException {
        AtomicFiles.write(dir.resolve(name + ".png"),
                out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
        ByteArrayOutputStream svg = new ByteArrayOutputStream();
        VectorGraphicsEncoder.saveVectorGraphic(chart, svg, VectorGraphicsFormat.SVG);
        AtomicFiles.writeString(dir.resolve(name + ".svg"), compactSvg(svg.toString(StandardCharsets.UTF_8)));
    }

    /**
     * The SVG with every decimal number cut to two decimals: XChart writes coordinates (its text
     * too, as glyph outlines) to many digits, and 1/100 px is below what any screen shows; the file
     * shrinks by about 40%.
     */
    static String compactSvg(String svg) {
        return LONG_DECIMAL.matcher(svg).replaceAll("$1");
    }

    private static XYChart accuracy(String title, String xTitle, List<RunGroup> groups, double target,
                                    ToDoubleFunction<RoundMetrics> x) {
        List<String> legend = labels(groups, "");
        legend.add("target accuracy 0.00");
        XYChart chart = base(title, xTitle, "test accuracy", legend);
        accuracyAxis(chart.getStyler());
        double[] range = addGroups(chart, groups, x, RoundMetrics::testAccuracy);
        XYSeries targetLine = chart.addSeries("target accuracy " + MarkdownReport.targetText(target),
                new double[] {range[0], range[1]}, new double[] {target, target});
        targetLine.setMarker(SeriesMarkers.NONE);
        targetLine.setLineColor(Color.GRAY);
        targetLine.setLineStyle(dashed(1.5f));
        return chart;
    }

    /** An accuracy's y axis: 0 to 1. */
    private static void accuracyAxis(AxesChartStyler styler) {
        styler.setYAxisMin(0.0);
        styler.setYAxisMax(1.0);
        styler.setYAxisDecimalPattern("0.0");
    }

    /** Adds every group (bands first, so lines stay on top); returns the x range covered. */
    private static double[] addGroups(XYChart chart, List<RunGroup> groups, ToDoubleFunction<RoundMetrics> x,
                                      Function<RoundMetrics, Double> y) {
        List<GroupCurve> curves = groups.stream().map(g -> GroupCurve.of(g, x, y)).toList();
        double[] range = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (int i = 0; i < groups.size(); i++) {
            GroupCurve c = curves.get(i);
            if (c.isEmpty()) continue;
            if (c.hasSpread()) band(chart, groups.get(i).label() + " ± sd", c, colour(i));
            range[0] = Math.min(range[0], c.x()[0]);
            range[1] = Math.max(range[1], c.x()[c.size() - 1]);
        }
        for (int i = 0; i < groups.size(); i++) {
            GroupCurve c = curves.get(i);
            if (c.isEmpty()) continue;
            RunGroup g = groups.get(i);
            XYSeries series = line(chart, legend(g), c, colour(i), null);
            series.setMarker(g.replicated() ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        }
        return range;
    }

    /** A group's legend entry: its label, and for replicates what the line and band are. */
    static String legend(RunGroup g) {
        return g.replicated() ? g.label() + " (mean ± sd, " + g.runs().size() + " seeds)" : g.label();
    }

    private static XYSeries line(XYChart chart, String name, GroupCurve c, Color colour, BasicStroke stroke) {
        XYSeries series = chart.addSeries(name, c.x(), c.mean());
        series.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
        series.setLineColor(colour);
        series.setMarkerColor(colour);
        if (stroke != null) series.setLineStyle(stroke);
        return series;
    }

    /** The closed polygon along mean + sd forward and mean - sd back, filled translucent, not in the legend. */
    private static void band(XYChart chart, String name, GroupCurve c, Color colour) {
        int n = c.size();
        double[] xs = new double[2 * n];
        double[] ys = new double[2 * n];
        for (int i = 0; i < n; i++) {
            xs[i] = c.x()[i];
            ys[i] = c.mean()[i] + c.sd()[i];
            xs[2 * n - 1 - i] = c.x()[i];
            ys[2 * n - 1 - i] = c.mean()[i] - c.sd()[i];
        }
        XYSeries band = chart.addSeries(name, xs, ys);
        band.setXYSeriesRenderStyle(XYSeriesRenderStyle.PolygonArea);
        Color fill = new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), BAND_ALPHA);
        band.setFillColor(fill);
        band.setLineColor(new Color(0, 0, 0, 0));
        band.setLineWidth(0f);
        band.setMarker(SeriesMarkers.NONE);
        band.setShowInLegend(false);
    }

    private static List<String> labels(List<RunGroup> groups, String suffix) {
        List<String> labels = new ArrayList<>();
        for (RunGroup g : groups) labels.add(legend(g) + suffix);
        return labels;
    }

    private static boolean any(List<RunGroup> groups, java.util.function.Predicate<RoundMetrics> has) {
        return groups.stream().flatMap(g -> g.runs().stream()).flatMap(r -> r.rows().stream()).anyMatch(has);
    }

    private static BasicStroke dashed(float width) {
        return new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f);
    }

    /** The plain look every report chart shares: white background, light grid, grey borders. */
    private static void whiteBackground(AxesChartStyler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotGridLinesColor(new Color(220, 220, 220));
        styler.setPlotBorderColor(Color.GRAY);
        styler.setLegendBorderColor(Color.LIGHT_GRAY);
    }

    private static XYChart base(String title, String xTitle, String yTitle, List<String> legend) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        var styler = chart.getStyler();
        whiteBackground(styler);
        int legendChars = legend.stream().mapToInt(String::length).sum();
        if (legendChars <= LEGEND_BELOW_MAX_CHARS) {
            styler.setLegendPosition(Styler.LegendPosition.OutsideS);
            styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        } else if (legend.size() <= LEGEND_BELOW_MAX_ROWS) {
            styler.setLegendPosition(Styler.LegendPosition.OutsideS);
            styler.setLegendLayout(Styler.LegendLayout.Vertical);
        } else {
            styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        }
        styler.setMarkerSize(5);
        styler.setXAxisMin(0.0);
        styler.setYAxisMin(0.0);
        styler.setAntiAlias(true);
        return chart;
    }
}
