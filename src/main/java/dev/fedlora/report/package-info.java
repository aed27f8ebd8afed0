/**
 * The {@code report} command: reads finished run folders (no Spark needed), computes
 * accuracy-target figures, and writes comparison plots (PNG and SVG) and a Markdown summary.
 *
 * <p>{@link dev.fedlora.report.RunMetrics} parses a run's {@code metrics.csv} into
 * {@link dev.fedlora.report.RoundMetrics};
 * {@link dev.fedlora.report.RunFolder} checks the folder and reads its manifest;
 * {@link dev.fedlora.report.AccuracyTargets} holds the pure computations;
 * {@link dev.fedlora.report.AccuracyCharts} and {@link dev.fedlora.report.MarkdownReport} render;
 * {@link dev.fedlora.report.AtomicFiles} makes every output appear whole or not at all.
 */
package dev.fedlora.report;
