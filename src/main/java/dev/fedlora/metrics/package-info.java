/**
 * Per-round metrics, the run output folder and its lock (one writer per folder), progress logging
 * and .npy dumps.
 */
package dev.fedlora.metrics;
