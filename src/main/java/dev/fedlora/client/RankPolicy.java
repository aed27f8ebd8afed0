package dev.fedlora.client;

import dev.fedlora.config.RankConfig;
import dev.fedlora.data.ClientShards;
import dev.fedlora.model.LoraParams;
import dev.fedlora.model.ModelShape;
import dev.fedlora.random.Seeds;
import java.io.Serializable;

/**
 * Which LoRA rank a client trains at: a pure function of the client id (and the seed), which a
 * policy may replace after a round ({@link #afterRound}) with one informed by the global model.
 */
@FunctionalInterface
public interface RankPolicy extends Serializable {
    int rankOf(int client);

    /**
     * The policy for the rounds after {@code round}, given the global adapter it produced and a
     * way to score every client on its held-out split; most policies never change.
     */
    default RankPolicy afterRound(int round, LoraParams global, ClientScorer scorer) {
        return this;
    }

    /**
     * {@code fixed}: one rank; {@code tiers}: client {@code c} falls in the tier where the seeded
     * uniform {@code u_c} lands among the cumulative fractions; {@code quality}: high-quality
     * clients (per the partition) get the high rank; {@code bandwidth}: the largest rank whose
     * dense upload fits the client's seeded byte budget ({@link #uploadBudget},
     * {@link #largestRankWithin}); {@code data-quality}: see {@link DataQualityRanks}.
     *
     * @param shape the fine-tuned model, which fixes what an upload of each rank costs
     */
    static RankPolicy create(RankConfig config, ClientShards shards, long seed, ModelShape shape) {
        return switch (config.policy()) {
            case "fixed" -> fixed(config.rank());
            case "tiers" -> tiers(config, seed);
            case "quality" -> quality(shards, config.highRank(), config.lowRank());
            case "bandwidth" -> bandwidth(config.bandwidth(), seed, shape);
            case "data-quality" -> new DataQualityRanks(config.lowRank(), config.highRank(),
                    config.dataQuality().promoteAfterRound(), config.dataQuality().promoteFraction());
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

    private static RankPolicy bandwidth(RankConfig.Bandwidth bandwidth, long seed, ModelShape shape) {
        return client -> largestRankWithin(uploadBudget(bandwidth, seed, client), shape, bandwidth.maxRank());
    }

    /**
     * Client {@code client}'s upload budget in bytes per round, log-uniform on
     * {@code [minBytes, maxBytes]}: {@code floor(exp(ln min + u_c (ln max - ln min)))} with
     * {@code u_c} the seeded uniform of {@code (seed, RANKS, client)}.
     */
    static long uploadBudget(RankConfig.Bandwidth bandwidth, long seed, int client) {
        double u = Seeds.uniform(seed, Seeds.Purpose.RANKS, client);
        double lnMin = Math.log(bandwidth.minBytes());
        double budget = Math.floor(Math.exp(lnMin + u * (Math.log(bandwidth.maxBytes()) - lnMin)));
        return Math.max(bandwidth.minBytes(), Math.min(bandwidth.maxBytes(), (long) budget));
    }

    /**
     * The largest rank {@code r <= maxRank} whose dense upload,
     * {@code 4 (r * valuesPerRankSlot + headValues)} bytes, fits in {@code budgetBytes}; rank 1
     * when not even rank 1 fits (a client always trains).
     */
    static int largestRankWithin(long budgetBytes, ModelShape shape, int maxRank) {
        long fits = Math.floorDiv(budgetBytes / 4 - shape.headValues(), (long) shape.valuesPerRankSlot());
        return (int) Math.max(1, Math.min(maxRank, fits));
    }
}
