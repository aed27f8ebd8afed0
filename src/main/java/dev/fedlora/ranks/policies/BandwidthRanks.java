package dev.fedlora.ranks.policies;

import com.typesafe.config.Config;
import dev.fedlora.config.ConfigError;
import dev.fedlora.config.Keys;
import dev.fedlora.data.ClientShards;
import dev.fedlora.model.AdapterLayout;
import dev.fedlora.random.Seeds;
import dev.fedlora.ranks.RankConfig;
import dev.fedlora.ranks.RankPolicy;

/**
 * {@code bandwidth}: each client gets the largest rank whose dense upload fits its seeded per-round
 * byte budget ({@link #uploadBudget}, {@link #largestRankWithin}), at most {@code maxRank}.
 *
 * @param minBytes {@code clients.ranks.bandwidth.min-bytes}, the smallest budget
 * @param maxBytes {@code clients.ranks.bandwidth.max-bytes}, the largest budget
 * @param maxRank {@code clients.ranks.bandwidth.max-rank}, the cap on every client's rank
 */
public record BandwidthRanks(long minBytes, long maxBytes, int maxRank) implements RankConfig {
    public static final String NAME = "bandwidth";
    static final String MIN_BYTES = "clients.ranks.bandwidth.min-bytes";
    static final String MAX_BYTES = "clients.ranks.bandwidth.max-bytes";
    static final String MAX_RANK = "clients.ranks.bandwidth.max-rank";

    /** @throws ConfigError if {@code minBytes < 1}, {@code maxBytes < minBytes} or {@code maxRank < 1} */
    public BandwidthRanks {
        if (minBytes < 1) throw Keys.outOfRange(MIN_BYTES, minBytes, "an integer >= 1");
        if (maxBytes < minBytes) {
            throw new ConfigError(MAX_BYTES + " = " + maxBytes + " is below " + MIN_BYTES + " = " + minBytes
                    + ": expected min-bytes <= max-bytes");
        }
        Keys.requireIn(MAX_RANK, maxRank, 1, Integer.MAX_VALUE);
    }

    /** @throws ConfigError if a key under {@code clients.ranks.bandwidth} is missing, not an integer or out of range */
    public static BandwidthRanks from(Config c) {
        return new BandwidthRanks(Keys.anyLong(c, MIN_BYTES), Keys.anyLong(c, MAX_BYTES), Keys.anyInt(c, MAX_RANK));
    }

    @Override
    public String policy() {
        return NAME;
    }

    /** Uniform only with {@code max-rank = 1}: which ranks the budgets give depends on the model's layout. */
    @Override
    public boolean uniform() {
        return maxRank == 1;
    }

    @Override
    public String maxRankKey() {
        return MAX_RANK;
    }

    @Override
    public RankPolicy create(ClientShards shards, long seed, AdapterLayout layout) {
        return new Policy(this, seed, layout);
    }

    /**
     * Client {@code client}'s upload budget in bytes per round, log-uniform on
     * {@code [minBytes, maxBytes]}: {@code floor(exp(ln min + u_c (ln max - ln min)))} with
     * {@code u_c} the seeded uniform of {@code (seed, RANKS, client)}.
     */
    public long uploadBudget(long seed, int client) {
        double u = Seeds.uniform(seed, Seeds.Purpose.RANKS, client);
        double lnMin = Math.log(minBytes);
        double budget = Math.floor(Math.exp(lnMin + u * (Math.log(maxBytes) - lnMin)));
        return Math.max(minBytes, Math.min(maxBytes, (long) budget));
    }

    /**
     * The largest rank {@code r <= maxRank} whose dense upload,
     * {@code 4 (r * valuesPerRankSlot + denseValues)} bytes, fits in {@code budgetBytes}; rank 1
     * when not even rank 1 fits (a client always trains).
     */
    public static int largestRankWithin(long budgetBytes, AdapterLayout layout, int maxRank) {
        long fits = Math.floorDiv(budgetBytes / 4 - layout.denseValues(), (long) layout.valuesPerRankSlot());
        return (int) Math.max(1, Math.min(maxRank, fits));
    }

    private record Policy(BandwidthRanks bandwidth, long seed, AdapterLayout layout) implements RankPolicy {
        @Override
        public int rankOf(int client) {
            return largestRankWithin(bandwidth.uploadBudget(seed, client), layout, bandwidth.maxRank());
        }
    }
}
