package dev.fedlora.ranks.policies;

import com.typesafe.config.Config;
import dev.fedlora.config.ConfigError;
import dev.fedlora.config.Keys;
import dev.fedlora.data.ClientShards;
import dev.fedlora.model.AdapterLayout;
import dev.fedlora.ranks.RankConfig;
import dev.fedlora.ranks.RankPolicy;

/**
 * {@code quality}: the high-quality clients of the partition (balanced labels,
 * {@code clients.partition.high-quality-fraction}) train at {@code high-rank}, the rest at
 * {@code low-rank}.
 *
 * @param lowRank {@code clients.ranks.low-rank}
 * @param highRank {@code clients.ranks.high-rank}
 */
public record QualityRanks(int lowRank, int highRank) implements TwoRankPolicy {
    public static final String NAME = "quality";
    static final String LOW_RANK = "clients.ranks.low-rank";
    static final String HIGH_RANK = "clients.ranks.high-rank";

    /** @throws ConfigError if a rank is below 1 */
    public QualityRanks {
        Keys.requireIn(HIGH_RANK, highRank, 1, Integer.MAX_VALUE);
        Keys.requireIn(LOW_RANK, lowRank, 1, Integer.MAX_VALUE);
    }

    /** @throws ConfigError if {@code clients.ranks.high-rank} or {@code low-rank} is missing, not an integer or below 1 */
    public static QualityRanks from(Config c) {
        int high = Keys.anyInt(c, HIGH_RANK);
        return new QualityRanks(Keys.anyInt(c, LOW_RANK), high);
    }

    @Override
    public String policy() {
        return NAME;
    }




    @Override
    public RankPolicy create(ClientShards shards, long seed, AdapterLayout layout) {
        return new Policy(shards, lowRank, highRank);
    }

    private record Policy(ClientShards shards, int lowRank, int highRank) implements RankPolicy {
        @Override
        public int rankOf(int client) {
            return shards.isHighQuality(client) ? highRank : lowRank;
        }
    }
}
