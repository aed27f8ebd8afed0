/**
 * Per-round metrics, the run folder's writer ({@link dev.fedlora.metrics.RunFolderWriter}) and its
 * lock (one writer per folder), the round listeners that log progress and save adapters, and .npy
 * dumps. The report reads the folders back with {@code report.RunFolderReader}.
 */
package dev.fedlora.metrics;
