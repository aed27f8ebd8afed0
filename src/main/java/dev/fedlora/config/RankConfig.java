package dev.fedlora.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Which rank each client trains at: {@code fixed} (one rank), {@code tiers} (ranks by fraction of
 * clients), {@code quality} (high-quality clients at {@code highRank}, the rest at {@code lowRank})
 * or {@code bandwidth} (the largest rank whose upload fits the client's seeded byte budget).
 */
public record RankConfig(String policy, int rank, List<Tier> tiers, int highRank, int lowRank, Bandwidth bandwidth,
                         DataQuality dataQuality)
        implements Serializable {

    /** A share {@code fraction} of the clients at rank {@code rank}. */
    public record Tier(int rank, double fraction) implements Serializable {}

    /**
     * Upload budgets drawn log-uniformly from {@code [minBytes, maxBytes]} per client; ranks are
     * capped at {@code maxRank}.
     */
    public record Bandwidth(long minBytes, long maxBytes, int maxRank) implements Serializable {
        /** @throws IllegalArgumentException if a value is below 1 or {@code maxBytes < minBytes} */
        public Bandwidth {
            if (minBytes < 1) throw new IllegalArgumentException("min-bytes must be >= 1, found " + minBytes);
            if (maxBytes < minBytes) {
                throw new IllegalArgumentException("max-bytes " + maxBytes + " is below min-bytes " + minBytes);
            }
            if (maxRank < 1) throw new IllegalArgumentException("max-rank must be >= 1, found " + maxRank);
        }
    }

    public static final List<String> POLICIES = List.of("fixed", "tiers", "quality", "bandwidth", "data-quality");

    /**
     * The Byun &amp; Lee data-quality policy: the share of each shard held out for validation, the
     * round after which clients are scored, and the share of clients promoted to the high rank.
     */
    public record DataQuality(double validationFraction, int promoteAfterRound, double promoteFraction)
            implements Serializable {}

    static RankConfig from(Config c) {
        String policy = Keys.string(c, "clients.ranks.policy");
        if (!POLICIES.contains(policy)) {
            throw new ConfigError("clients.ranks.policy = " + policy + " is not a rank policy; valid: "
                    + String.join(", ", POLICIES));
        }
        RankConfig r = new RankConfig(policy,
                Keys.intIn(c, "clients.ranks.rank", 1, Integer.MAX_VALUE),
                tiers(c),
                Keys.intIn(c, "clients.ranks.high-rank", 1, Integer.MAX_VALUE),
                Keys.intIn(c, "clients.ranks.low-rank", 1, Integer.MAX_VALUE),
                bandwidth(c),
                dataQuality(c));
        if (policy.equals("tiers")) r.checkTiers();
        return r;
    }

    private static DataQuality dataQuality(Config c) {
        String at = "clients.ranks.data-quality.";
        return new DataQuality(Keys.doubleIn(c, at + "validation-fraction", 0, true, 1, true),
                Keys.intIn(c, at + "promote-after-round", 1, 1_000_000),
                Keys.doubleIn(c, at + "promote-fraction", 0, false, 1, false));
    }

    /** The share of each client's shard held out for validation (0 unless the policy needs it). */
    public double validationFraction() {
        return policy.equals("data-quality") ? dataQuality.validationFraction() : 0;
    }

    private static Bandwidth bandwidth(Config c) {
        String min = "clients.ranks.bandwidth.min-bytes";
        String max = "clients.ranks.bandwidth.max-bytes";
        long minBytes = Keys.anyLong(c, min);
        if (minBytes < 1) throw Keys.outOfRange(min, minBytes, "an integer >= 1");
        long maxBytes = Keys.anyLong(c, max);
        if (maxBytes < minBytes) {
            throw new ConfigError(max + " = " + maxBytes + " is below " + min + " = " + minBytes
                    + ": expected min-bytes <= max-bytes");
        }
        return new Bandwidth(minBytes, maxBytes, Keys.intIn(c, "clients.ranks.bandwidth.max-rank", 1, Integer.MAX_VALUE));
    }

    private static List<Tier> tiers(Config c) {
        String key = "clients.ranks.tiers";
        List<? extends Config> list;
        try {
            list = c.getConfigList(key);
        } catch (ConfigException e) {
            throw new ConfigError(key + " must be a list of {rank = R, fraction = F}: " + e.getMessage(), e);
        }
        List<Tier> tiers = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Config t = list.get(i);
            String at = key + "[" + i + "]";
            for (String k : t.root().keySet()) {
                if (!k.equals("rank") && !k.equals("fraction")) {
                    throw new ConfigError("unknown key " + at + "." + k + "; a tier has rank and fraction");
                }
            }
            tiers.add(tier(t, at));
        }
        return List.copyOf(tiers);
    }

    private static Tier tier(Config t, String at) {
        int rank;
        double fraction;
        try {
            rank = t.getInt("rank");
            fraction = t.getDouble("fraction");
        } catch (ConfigException e) {
            throw new ConfigError(at + " must be {rank = <integer>, fraction = <number>}: " + e.getMessage(), e);
        }
        if (rank < 1) throw Keys.outOfRange(at + ".rank", rank, "[1, layer width]");
        if (!(fraction > 0 && fraction <= 1)) throw Keys.outOfRange(at + ".fraction", fraction, "(0, 1]");
        return new Tier(rank, fraction);
    }

    private void checkTiers() {
        if (tiers.isEmpty()) throw new ConfigError("clients.ranks.policy = tiers needs a non-empty clients.ranks.tiers");
        double sum = tiers.stream().mapToDouble(Tier::fraction).sum();
        if (Math.abs(sum - 1) > 1e-9) {
            throw new ConfigError("clients.ranks.tiers fractions sum to " + sum + ", expected 1");
        }
    }

    /** The largest rank this policy can give a client. */
    public int maxRank() {
        return switch (policy) {
            case "fixed" -> rank;
            case "tiers" -> tiers.stream().mapToInt(Tier::rank).max().orElse(rank);
            case "bandwidth" -> bandwidth.maxRank();
            default -> Math.max(highRank, lowRank);
        };
    }

    /**
     * True when every client gets the same rank. A {@code bandwidth} policy counts as uniform only
     * with {@code max-rank = 1}: which ranks its budgets give depends on the model's shape.
     */
    public boolean uniform() {
        return switch (policy) {
            case "fixed" -> true;
            case "tiers" -> tiers.stream().mapToInt(Tier::rank).distinct().count() == 1;
            case "bandwidth" -> bandwidth.maxRank() == 1;
            default -> highRank == lowRank;
        };
    }

    /** The config key that sets the largest rank, for error messages. */
    public String maxRankKey() {
        return switch (policy) {
            case "fixed" -> "clients.ranks.rank";
            case "tiers" -> "clients.ranks.tiers";
            case "bandwidth" -> "clients.ranks.bandwidth.max-rank";
            default -> highRank >= lowRank ? "clients.ranks.high-rank" : "clients.ranks.low-rank";
        };
    }
}
