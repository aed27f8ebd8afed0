package dev.fedlora.ranks.policies;

import com.typesafe.config.Config;
import dev.fedlora.config.ConfigError;
import dev.fedlora.config.Keys;
import dev.fedlora.data.ClientShards;
import dev.fedlora.model.AdapterLayout;
import dev.fedlora.ranks.RankConfig;
import dev.fedlora.ranks.RankPolicy;

/**
 * {@code fixed}: every client trains at {@code clients.ranks.rank}.
 *
 * @param rank every client's rank
 */
public record FixedRanks(int rank) implements RankConfig {
    public static final String NAME = "fixed";
    static final String RANK = "clients.ranks.rank";

    /** @throws ConfigError if {@code rank < 1} */
    public FixedRanks {
        Keys.requireIn(RANK, rank, 1, Integer.MAX_VALUE);
    }

    /** @throws ConfigError if {@code clients.ranks.rank} is missing, not an integer or below 1 */
    public static FixedRanks from(Config c) {
        return new FixedRanks(Keys.anyInt(c, RANK));
    }

    @Override
    public String policy() {
        return NAME;
    }

    @Override
    public int maxRank() {
        return rank;
    }

    @Override
    public boolean uniform() {
        return true;
    }

    @Override
    public String maxRankKey() {
        return RANK;
    }

    @Override
    public RankPolicy create(ClientShards shards, long seed, AdapterLayout layout) {
        return new Policy(rank);
    }

    private record Policy(int rank) implements RankPolicy {
        @Override
        public int rankOf(int client) {
            return rank;
        }
    }
}
