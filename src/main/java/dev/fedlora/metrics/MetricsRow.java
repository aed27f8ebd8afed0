package dev.fedlora.metrics;

import java.io.Serializable;

/**
 * One row per round. Round 0 is the initial global model before any training. Test figures are
 * null in rounds that are not evaluated. {@code clients} counts the updates folded in;
 * {@code rejected} the updates dropped as non-finite or over the norm bound; {@code dropped} the
 * sampled clients that never reported; {@code stragglers} those that reported late.
 * {@code clientTrainSeconds} sums the local-training time of the round's clients over all tasks
 * (with c cores busy it can reach c x {@code roundSeconds}). The client-side figures
 * ({@code eval.clients}: the global model on sampled clients' held-out splits — mean, 10th and 90th
 * percentile, mean per group) are null when that evaluation is off or the round is not evaluated.
 * The personalised figures ({@code personalAccuracy*}: each of the round's reporting clients' own
 * model, for a strategy whose clients keep a model of their own such as {@code fedsa_lora}, on its
 * held-out split before local training — mean, 10th and 90th percentile) are null for the other
 * strategies and when nothing is held out. {@code epsilon} is the privacy spent after this round at
 * {@code privacy.delta} (null without privacy). A record's serialized form matches components by
 * name, so checkpoints written before the client-side, personalised and epsilon columns existed read
 * with them null.
 */
public record MetricsRow(String experiment, String strategy, int round, Double testAccuracy, Double testLoss,
                         Double meanTrainLoss, long clients, long rejected, long dropped, long stragglers,
                         long localSteps, long bytesDown,
                         long bytesUp, long cumulativeBytesDown, long cumulativeBytesUp, double roundSeconds,
                         double clientTrainSeconds, Double clientAccuracyMean, Double clientAccuracyP10,
                         Double clientAccuracyP90, String clientAccuracyByGroup, Double personalAccuracyMean,
                         Double personalAccuracyP10, Double personalAccuracyP90, Double epsilon)
        implements Serializable {
    /** A row without personalised figures and privacy accounting. */
    public MetricsRow(String experiment, String strategy, int round, Double testAccuracy, Double testLoss,
                      Double meanTrainLoss, long clients, long rejected, long dropped, long stragglers,
                      long localSteps, long bytesDown, long bytesUp, long cumulativeBytesDown, long cumulativeBytesUp,
                      double roundSeconds, double clientTrainSeconds, Double clientAccuracyMean, Double clientAccuracyP10,
                      Double clientAccuracyP90, String clientAccuracyByGroup) {
        this(experiment, strategy, round, testAccuracy, testLoss, meanTrainLoss, clients, rejected, dropped, stragglers,
                localSteps, bytesDown, bytesUp, cumulativeBytesDown, cumulativeBytesUp, roundSeconds, clientTrainSeconds,
                clientAccuracyMean, clientAccuracyP10, clientAccuracyP90, clientAccuracyByGroup, null, null, null, null);
    }

    /** A row without client-side figures. */
    public MetricsRow(String experiment, String strategy, int round, Double testAccuracy, Double testLoss,
                      Double meanTrainLoss, long clients, long rejected, long dropped, long stragglers,
                      long localSteps, long bytesDown, long bytesUp, long cumulativeBytesDown, long cumulativeBytesUp,
                      double roundSeconds, double clientTrainSeconds) {
        this(experiment, strategy, round, testAccuracy, testLoss, meanTrainLoss, clients, rejected, dropped, stragglers,
                localSteps, bytesDown, bytesUp, cumulativeBytesDown, cumulativeBytesUp, roundSeconds, clientTrainSeconds,
                null, null, null, null);
    }
}
