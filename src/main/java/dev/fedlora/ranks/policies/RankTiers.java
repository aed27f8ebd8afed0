package dev.fedlora.ranks.policies;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import dev.fedlora.config.ConfigError;
import dev.fedlora.config.Keys;
import dev.fedlora.data.ClientShards;
import dev.fedlora.model.AdapterLayout;
import dev.fedlora.random.Seeds;
import dev.fedlora.ranks.RankConfig;
import dev.fedlora.ranks.RankPolicy;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code tiers}: ranks by fraction of clients, e.g. 50% rank 4, 30% rank 8, 20% rank 16. Client
 * {@code c} gets the rank of the first tier whose cumulative fraction exceeds the seeded uniform
 * {@code u_c} of {@code (seed, RANKS, c)}.
 *
 * @param tiers {@code clients.ranks.tiers}, in order
 */
public record RankTiers(List<Tier> tiers) implements RankConfig {
    public static final String NAME = "tiers";
    static final String TIERS = "clients.ranks.tiers";

    /** A share {@code fraction} of the clients at rank {@code rank}. */
    public record Tier(int rank, double fraction) implements Serializable {}

    /**
     * @throws ConfigError if there is no tier, a tier's rank is below 1 or its fraction outside
     *     {@code (0, 1]}, or the fractions do not sum to 1
     */
    public RankTiers {
        tiers = List.copyOf(tiers);
        if (tiers.isEmpty()) throw new ConfigError("clients.ranks.policy = tiers needs a non-empty " + TIERS);
        for (int i = 0; i < tiers.size(); i++) {
            Tier t = tiers.get(i);
            String at = TIERS + "[" + i + "]";
            if (t.rank() < 1) throw Keys.outOfRange(at + ".rank", t.rank(), "[1, layer width]");
            if (!(t.fraction() > 0 && t.fraction() <= 1)) throw Keys.outOfRange(at + ".fraction", t.fraction(), "(0, 1]");
        }
        double sum = tiers.stream().mapToDouble(Tier::fraction).sum();
        if (Math.abs(sum - 1) > 1e-9) throw new ConfigError(TIERS + " fractions sum to " + sum + ", expected 1");
    }

    /** @throws ConfigError if {@code clients.ranks.tiers} is not a list of {@code {rank, fraction}} or is invalid */
    public static RankTiers from(Config c) {
        List<? extends Config> list;
        try {
            list = c.getConfigList(TIERS);
        } catch (ConfigException e) {
            throw new ConfigError(TIERS + " must be a list of {rank = R, fraction = F}: " + e.getMessage(), e);
        }
        List<Tier> tiers = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) tiers.add(tier(list.get(i), TIERS + "[" + i + "]"));
        return new RankTiers(tiers);
    }

    private static Tier tier(Config t, String at) {
        for (String k : t.root().keySet()) {
            if (!k.equals("rank") && !k.equals("fraction")) {
                throw new ConfigError("unknown key " + at + "." + k + "; a tier has rank and fraction");
            }
        }
        try {
            return new Tier(t.getInt("rank"), t.getDouble("fraction"));
        } catch (ConfigException e) {
            throw new ConfigError(at + " must be {rank = <integer>, fraction = <number>}: " + e.getMessage(), e);
        }
    }

    @Override
    public String policy() {
        return NAME;
    }

    @Override
    public int maxRank() {
        return tiers.stream().mapToInt(Tier::rank).max().getAsInt();
    }

    @Override
    public boolean uniform() {
        return tiers.stream().mapToInt(Tier::rank).distinct().count() == 1;
    }

    @Override
    public String maxRankKey() {
        return TIERS;
    }

    @Override
    public RankPolicy create(ClientShards shards, long seed, AdapterLayout layout) {
        int[] ranks = tiers.stream().mapToInt(Tier::rank).toArray();
        double[] upTo = new double[ranks.length];
        double cum = 0;
        for (int i = 0; i < ranks.length; i++) {
            cum += tiers.get(i).fraction();
            upTo[i] = cum;
        }
        return new Policy(ranks, upTo, seed);
    }

    /** Tier {@code i} holds the clients whose {@code u_c} is below {@code upTo[i]} and not below {@code upTo[i - 1]}. */
    private record Policy(int[] ranks, double[] upTo, long seed) implements RankPolicy {
        @Override
        public int rankOf(int client) {
            double u = Seeds.uniform(seed, Seeds.Purpose.RANKS, client);
            for (int i = 0; i < upTo.length; i++) if (u < upTo[i]) return ranks[i];
            return ranks[ranks.length - 1];
        }
    }
}
