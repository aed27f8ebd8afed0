package dev.fedlora.ranks.policies;

import com.typesafe.config.Config;
import dev.fedlora.config.ConfigError;
import dev.fedlora.config.Keys;
import dev.fedlora.data.ClientShards;
import dev.fedlora.model.Adapter;
import dev.fedlora.model.AdapterLayout;
import dev.fedlora.ranks.ClientScorer;
import dev.fedlora.ranks.RankConfig;
import dev.fedlora.ranks.RankPolicy;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * {@code data-quality}, the rank policy of Byun &amp; Lee (2024): every client starts at the low
 * rank; after round {@code promoteAfterRound} the server scores each client's held-out split (the
 * share {@code validationFraction} of its shard, never trained on) with the global adapter and
 * gives the {@code ceil(promoteFraction N)} best (ties to the lower id) the high rank for every
 * later round. The promotion is part of the runtime {@link Policy}, so checkpoints keep it.
 *
 * @param lowRank {@code clients.ranks.low-rank}, every client's rank until the promotion
 * @param highRank {@code clients.ranks.high-rank}, the promoted clients' rank
 * @param validationFraction {@code clients.ranks.data-quality.validation-fraction}
 * @param promoteAfterRound {@code clients.ranks.data-quality.promote-after-round}
 * @param promoteFraction {@code clients.ranks.data-quality.promote-fraction}
 */
public record DataQualityRanks(int lowRank, int highRank, double validationFraction, int promoteAfterRound,
                               double promoteFraction) implements TwoRankPolicy {
    public static final String NAME = "data-quality";
    private static final String AT = "clients.ranks.data-quality.";
    static final String VALIDATION_FRACTION = AT + "validation-fraction";
    static final String PROMOTE_AFTER_ROUND = AT + "promote-after-round";
    static final String PROMOTE_FRACTION = AT + "promote-fraction";

    /**
     * @throws ConfigError if a rank is below 1, {@code validationFraction} is outside {@code (0, 1)},
     *     {@code promoteAfterRound} outside {@code [1, 1000000]} or {@code promoteFraction} outside
     *     {@code [0, 1]}
     */
    public DataQualityRanks {
        Keys.requireIn(QualityRanks.HIGH_RANK, highRank, 1, Integer.MAX_VALUE);
        Keys.requireIn(QualityRanks.LOW_RANK, lowRank, 1, Integer.MAX_VALUE);
        Keys.requireIn(VALIDATION_FRACTION, validationFraction, 0, true, 1, true);
        Keys.requireIn(PROMOTE_AFTER_ROUND, promoteAfterRound, 1, 1_000_000);
        Keys.requireIn(PROMOTE_FRACTION, promoteFraction, 0, false, 1, false);
    }

    /**
     * Reads {@code clients.ranks.low-rank} and {@code high-rank} (shared with {@code quality}) and
     * the section {@code clients.ranks.data-quality}.
     *
     * @throws ConfigError if a key is missing, mistyped or out of range
     */
    public static DataQualityRanks from(Config c) {
        int high = Keys.anyInt(c, QualityRanks.HIGH_RANK);
        int low = Keys.anyInt(c, QualityRanks.LOW_RANK);
        return new DataQualityRanks(low, high, Keys.anyDouble(c, VALIDATION_FRACTION),
                Keys.anyInt(c, PROMOTE_AFTER_ROUND), Keys.anyDouble(c, PROMOTE_FRACTION));
    }

    @Override
    public String policy() {
        return NAME;
    }




    /** Everyone at the low rank, nobody promoted yet. */
    @Override
    public Policy create(ClientShards shards, long seed, AdapterLayout layout) {
        return new Policy(lowRank, highRank, promoteAfterRound, promoteFraction, null);
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

    /** The ranks of a run: low for everyone, then high for the clients promoted after {@code promoteAfterRound}. */
    public static final class Policy implements RankPolicy {
        private static final long serialVersionUID = 1L;

        private final int low;
        private final int high;
        private final int promoteAfterRound;
        private final double promoteFraction;
        private final int[] promoted;

        private Policy(int low, int high, int promoteAfterRound, double promoteFraction, int[] promoted) {
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
        public RankPolicy afterRound(int round, Adapter global, ClientScorer scorer) {
            if (round != promoteAfterRound || promoted != null) return this;
            return new Policy(low, high, promoteAfterRound, promoteFraction,
                    best(scorer.validationAccuracy(global), promoteFraction));
        }

        /** The promoted clients, ascending, or null before the promotion round. */
        public int[] promoted() {
            return promoted == null ? null : promoted.clone();
        }
    }
}
