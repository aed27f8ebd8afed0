/**
 * Per-round metrics, the run output folder, progress logging and .npy dumps.
 */
package dev.fedlora.metrics;
