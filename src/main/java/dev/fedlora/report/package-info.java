/**
 * The {@code report} command: reads finished run folders (no Spark needed), groups the runs that
 * differ only by seed, computes accuracy-target figures and statistics over seeds, and writes
 * comparison plots (PNG and SVG), a Markdown summary and a self-contained HTML page.
 *
 * <p>{@link dev.fedlora.report.RunMetrics} parses a run's {@code metrics.csv} into
 * {@link dev.fedlora.report.RoundMetrics};
 * {@link dev.fedlora.report.RunFolderReader} checks the folder and reads its manifest and config;
 * {@link dev.fedlora.report.RunGroup} groups replicates by their
 * {@linkplain dev.fedlora.config.ReplicateKey replicate key};
 * {@link dev.fedlora.report.AccuracyTargets}, {@link dev.fedlora.report.MeanSd},
 * {@link dev.fedlora.report.PairedComparison} and {@link dev.fedlora.report.GroupCurve} hold the
 * pure computations; {@code ReportContent} decides what the report says, and
 * {@link dev.fedlora.report.ReportCharts}, {@code MarkdownReport} and {@code HtmlReport} render it;
 * {@code AtomicFiles} makes every output appear whole or not at all.
 */
package dev.fedlora.report;
