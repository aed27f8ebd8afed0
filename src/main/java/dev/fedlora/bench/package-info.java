/**
 * The benchmark job: round-loop throughput, Spark overhead, driver heap and ND4J sgemm rates,
 * measured in one run and appended to a CSV.
 */
package dev.fedlora.bench;
