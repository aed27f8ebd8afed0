package dev.fedlora.report;

/**
 * The columns of one {@code metrics.csv} row that the report uses; other columns are ignored, so
 * the report keeps working when the run writes more of them.
 *
 * @param round 0 is the initial model
 * @param testAccuracy {@code null} in rounds that were not evaluated
 * @param cumulativeBytesDown bytes sent to clients in rounds 1..round
 * @param cumulativeBytesUp bytes sent by clients in rounds 1..round
 */
public record RoundMetrics(String experiment, String strategy, int round, Double testAccuracy,
                           long cumulativeBytesDown, long cumulativeBytesUp) {}
