package dev.fedlora.report;

/**
 * The columns of one {@code metrics.csv} row that the report uses; other columns are ignored, so
 * the report keeps working when the run writes more of them. The per-round byte counts and the
 * client-side figures are optional: {@code null} when the CSV has no such column (older runs) or
 * the field is empty (round 0 has no train loss).
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
 */
public record RoundMetrics(String experiment, String strategy, int round, Double testAccuracy,
                           long cumulativeBytesDown, long cumulativeBytesUp, Long bytesDown, Long bytesUp,
                           Double meanTrainLoss, Double clientTrainSeconds, Long rejected, Long dropped) {
    /** A row with only the columns every run has. */
    public RoundMetrics(String experiment, String strategy, int round, Double testAccuracy, long cumulativeBytesDown,
                        long cumulativeBytesUp) {
        this(experiment, strategy, round, testAccuracy, cumulativeBytesDown, cumulativeBytesUp, null, null, null, null,
                null, null);
    }
}
