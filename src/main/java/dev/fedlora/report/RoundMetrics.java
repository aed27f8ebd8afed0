package dev.fedlora.report;

/**
 * The columns of one {@code metrics.csv} row that the report uses; other columns are ignored, so
 * the report keeps working when the run writes more of them. The per-round byte counts, the
 * client-side, personalised and privacy figures are optional: {@code null} when the CSV has no such
 * column (older runs) or the field is empty (round 0 has no train loss; only strategies whose clients
 * keep a model of their own have personalised figures; only private runs have an epsilon).
 *
 * @param round 0 is the initial model
 * @param testAccuracy {@code null} in rounds that were not evaluated
 * @param cumulativeBytesDown bytes sent to clients in rounds 1..round
 * @param cumulativeBytesUp bytes sent by clients in rounds 1..round
 * @param bytesDown bytes sent to clients in this round
 * @param bytesUp bytes sent by clients in this round
 * @param meanTrainLoss the clients' mean local training loss in this round
 * @param clientTrainSeconds local-training seconds summed over the round's clients
 * @param rejected client updates dropped as non-finite or over the norm bound
 * @param dropped sampled clients that never reported
 * @param personalAccuracyMean the mean over the round's reporting clients of their own model's
 *     accuracy on their held-out split ({@code personal_accuracy_mean})
 * @param personalAccuracyP10 the 10th percentile of those accuracies
 * @param personalAccuracyP90 the 90th percentile of those accuracies
 * @param epsilon the differential privacy spent after this round
 */
public record RoundMetrics(String experiment, String strategy, int round, Double testAccuracy,
                           long cumulativeBytesDown, long cumulativeBytesUp, Long bytesDown, Long bytesUp,
                           Double meanTrainLoss, Double clientTrainSeconds, Long rejected, Long dropped,
                           Double personalAccuracyMean, Double personalAccuracyP10, Double personalAccuracyP90,
                           Double epsilon) {
    /** A row with only the columns every run has. */
    public RoundMetrics(String experiment, String strategy, int round, Double testAccuracy, long cumulativeBytesDown,
                        long cumulativeBytesUp) {
        this(experiment, strategy, round, testAccuracy, cumulativeBytesDown, cumulativeBytesUp, null, null, null, null,
                null, null);
    }

    /** A row without personalised figures and privacy accounting. */
    public RoundMetrics(String experiment, String strategy, int round, Double testAccuracy, long cumulativeBytesDown,
                        long cumulativeBytesUp, Long bytesDown, Long bytesUp, Double meanTrainLoss,
                        Double clientTrainSeconds, Long rejected, Long dropped) {
        this(experiment, strategy, round, testAccuracy, cumulativeBytesDown, cumulativeBytesUp, bytesDown, bytesUp,
                meanTrainLoss, clientTrainSeconds, rejected, dropped, null, null, null, null);
    }
}
