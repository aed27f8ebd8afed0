package dev.fedlora.client;

import dev.fedlora.model.LoraParams;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * The data-quality rank policy of Byun &amp; Lee (2024): every client starts at the low rank; after
 * round {@code promoteAfterRound} the server scores each client's held-out split with the global
 * adapter and gives the {@code ceil(promoteFraction N)} best (ties to the lower id) the high rank
 * for every later round.
 */
public final class DataQualityRanks implements RankPolicy {
    private static final long serialVersionUID = 1L;

    private final int low;
    private final int high;
    private final int promoteAfterRound;
    private final double promoteFraction;
    private final int[] promoted;

    public DataQualityRanks(int low, int high, int promoteAfterRound, double promoteFraction) {
        this(low, high, promoteAfterRound, promoteFraction, null);
    }

    private DataQualityRanks(int low, int high, int promoteAfterRound, double promoteFraction, int[] promoted) {
        this.low = low;
        this.high = high;
        this.promoteAfterRound = promoteAfterRound;
        this.promoteFraction = promoteFraction;
        this.promoted = promoted;
    }

    @Override
    public int rankOf(int client) {
        return promoted != null && Arrays.binarySearch(promoted, client) >= 0 ? high : low;
    }

    @Override
    public RankPolicy afterRound(int round, LoraParams global, ClientScorer scorer) {
        if (round != promoteAfterRound || promoted != null) return this;
        return new DataQualityRanks(low, high, promoteAfterRound, promoteFraction,
                best(scorer.validationAccuracy(global), promoteFraction));
    }

    /** The ids of the {@code ceil(fraction N)} highest scores, ties to the lower id, ascending. */
    static int[] best(double[] scores, double fraction) {
        int k = (int) Math.ceil(fraction * scores.length - 1e-9);
        int[] top = IntStream.range(0, scores.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(c -> -scores[c]).thenComparingInt(c -> c))
                .limit(k).mapToInt(Integer::intValue).toArray();
        Arrays.sort(top);
        return top;
    }

    /** The promoted clients, ascending, or null before the promotion round. */
    public int[] promoted() {
        return promoted == null ? null : promoted.clone();
    }
}
