package dev.fedlora.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.VectorGraphicsEncoder.VectorGraphicsFormat;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The two comparison plots: test accuracy against round and against cumulative MB communicated,
 * one line per run (evaluated rounds only) and a dashed line at the target accuracy.
 */
public final class AccuracyCharts {
    public static final int WIDTH = 960;
    public static final int HEIGHT = 600;
    public static final String BY_ROUND = "accuracy-vs-round";
    public static final String BY_MB = "accuracy-vs-mb";
    static final String MB_AXIS = "cumulative MB communicated, upload + download (1 MB = 10^6 bytes)";
    /** Above this many legend characters the legend moves from below the plot to its right. */
    private static final int LEGEND_BELOW_MAX_CHARS = 90;

    private AccuracyCharts() {}

    public static XYChart byRound(List<RunFolder> runs, List<String> labels, double target) {
        XYChart chart = chart("Test accuracy per round", "round", runs, labels, target, r -> r.round());
        chart.getStyler().setXAxisDecimalPattern("0");
        return chart;
    }

    public static XYChart byMb(List<RunFolder> runs, List<String> labels, double target) {
        XYChart chart = chart("Test accuracy vs. communication", MB_AXIS, runs, labels, target,
                AccuracyTargets::cumulativeMb);
        chart.getStyler().setXAxisDecimalPattern("#,##0");
        return chart;
    }

    /** Writes {@code NAME.png} and {@code NAME.svg} into {@code dir}, each through a temporary file. */
    public static void save(XYChart chart, Path dir, String name) throws IOException {
        AtomicFiles.write(dir.resolve(name + ".png"),
                out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
        AtomicFiles.write(dir.resolve(name + ".svg"),
                out -> VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsFormat.SVG));
    }

    private static XYChart chart(String title, String xTitle, List<RunFolder> runs, List<String> labels,
                                 double target, ToDoubleFunction<RoundMetrics> x) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(xTitle).yAxisTitle("test accuracy").build();
        style(chart, labels);
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < runs.size(); i++) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (RoundMetrics row : runs.get(i).rows()) {
                if (row.testAccuracy() == null) continue;
                xs.add(x.applyAsDouble(row));
                ys.add(row.testAccuracy());
            }
            XYSeries series = chart.addSeries(labels.get(i), xs, ys);
            series.setMarker(SeriesMarkers.CIRCLE);
            xMin = Math.min(xMin, xs.get(0));
            xMax = Math.max(xMax, xs.get(xs.size() - 1));
        }
        XYSeries targetLine = chart.addSeries("target accuracy " + MarkdownReport.targetText(target),
                new double[] {xMin, xMax}, new double[] {target, target});
        targetLine.setMarker(SeriesMarkers.NONE);
        targetLine.setLineColor(Color.GRAY);
        targetLine.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {6f, 4f}, 0f));
        return chart;
    }

    private static void style(XYChart chart, List<String> labels) {
        var styler = chart.getStyler();
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotGridLinesColor(new Color(220, 220, 220));
        styler.setPlotBorderColor(Color.GRAY);
        styler.setLegendBorderColor(Color.LIGHT_GRAY);
        int legendChars = labels.stream().mapToInt(String::length).sum() + "target accuracy 0.00".length();
        if (legendChars <= LEGEND_BELOW_MAX_CHARS) {
            styler.setLegendPosition(Styler.LegendPosition.OutsideS);
            styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        } else {
            styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        }
        styler.setMarkerSize(5);
        styler.setYAxisMin(0.0);
        styler.setYAxisMax(1.0);
        styler.setYAxisDecimalPattern("0.0");
        styler.setXAxisMin(0.0);
        styler.setAntiAlias(true);
    }
}
