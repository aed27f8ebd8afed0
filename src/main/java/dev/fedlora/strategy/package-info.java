/**
 * Aggregation strategies. Each is a download (what a client gets) plus an associative fold
 * (zero, add, merge, finish) over client updates, with no dependency on Spark.
 */
package dev.fedlora.strategy;
