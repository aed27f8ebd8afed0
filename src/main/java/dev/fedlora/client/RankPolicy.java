package dev.fedlora.client;

import dev.fedlora.config.RankConfig;
import dev.fedlora.data.ClientShards;
import dev.fedlora.random.Seeds;
import java.io.Serializable;

/** Which LoRA rank a client trains at. A pure function of the client id (and the seed). */
@FunctionalInterface
public interface RankPolicy extends Serializable {
    int rankOf(int client);

    /**
     * {@code fixed}: one rank; {@code tiers}: client {@code c} falls in the tier where the seeded
     * uniform {@code u_c} lands among the cumulative fractions; {@code quality}: high-quality
     * clients (per the partition) get the high rank.
     */
    static RankPolicy create(RankConfig config, ClientShards shards, long seed) {
        return switch (config.policy()) {
            case "fixed" -> fixed(config.rank());
            case "tiers" -> tiers(config, seed);
            case "quality" -> quality(shards, config.highRank(), config.lowRank());
            default -> throw new IllegalArgumentException("unknown rank policy " + config.policy());
        };
    }

    private static RankPolicy fixed(int rank) {
        return client -> rank;
    }

    private static RankPolicy tiers(RankConfig config, long seed) {
        int[] ranks = config.tiers().stream().mapToInt(RankConfig.Tier::rank).toArray();
        double[] upTo = new double[ranks.length];
        double cum = 0;
        for (int i = 0; i < ranks.length; i++) {
            cum += config.tiers().get(i).fraction();
            upTo[i] = cum;
        }
        return client -> {
            double u = Seeds.uniform(seed, Seeds.Purpose.RANKS, client);
            for (int i = 0; i < upTo.length; i++) if (u < upTo[i]) return ranks[i];
            return ranks[ranks.length - 1];
        };
    }

    private static RankPolicy quality(ClientShards shards, int high, int low) {
        return client -> shards.isHighQuality(client) ? high : low;
    }
}
