package dev.fedlora.metrics;

import java.io.Serializable;

/**
 * One row per round. Round 0 is the initial global model before any training. Test figures are
 * null in rounds that are not evaluated.
 */
public record MetricsRow(String experiment, String strategy, int round, Double testAccuracy, Double testLoss,
                         Double meanTrainLoss, long clients, long rejected, long localSteps, long bytesDown,
                         long bytesUp, long cumulativeBytesDown, long cumulativeBytesUp, double roundSeconds)
        implements Serializable {}
