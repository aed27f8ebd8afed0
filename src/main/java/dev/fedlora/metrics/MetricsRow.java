package dev.fedlora.metrics;

import java.io.Serializable;

/**
 * One row per round. Round 0 is the initial global model before any training. Test figures are
 * null in rounds that are not evaluated. {@code clients} counts the updates folded in;
 * {@code rejected} the updates dropped as non-finite or over the norm bound; {@code dropped} the
 * sampled clients that never reported; {@code stragglers} those that reported late.
 * {@code clientTrainSeconds} sums the local-training time of the round's clients over all tasks
 * (with c cores busy it can reach c x {@code roundSeconds}).
 */
public record MetricsRow(String experiment, String strategy, int round, Double testAccuracy, Double testLoss,
                         Double meanTrainLoss, long clients, long rejected, long dropped, long stragglers,
                         long localSteps, long bytesDown,
                         long bytesUp, long cumulativeBytesDown, long cumulativeBytesUp, double roundSeconds,
                         double clientTrainSeconds)
        implements Serializable {}
