package dev.fedlora.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Which rank each client trains at: {@code fixed} (one rank), {@code tiers} (ranks by fraction of
 * clients) or {@code quality} (high-quality clients at {@code highRank}, the rest at {@code lowRank}).
 */
public record RankConfig(String policy, int rank, List<Tier> tiers, int highRank, int lowRank)
        implements Serializable {

    /** A share {@code fraction} of the clients at rank {@code rank}. */
    public record Tier(int rank, double fraction) implements Serializable {}

    public static final List<String> POLICIES = List.of("fixed", "tiers", "quality");

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
                Keys.intIn(c, "clients.ranks.low-rank", 1, Integer.MAX_VALUE));
        if (policy.equals("tiers")) r.checkTiers();
        return r;
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
            default -> Math.max(highRank, lowRank);
        };
    }

    /** True when every client gets the same rank. */
    public boolean uniform() {
        return switch (policy) {
            case "fixed" -> true;
            case "tiers" -> tiers.stream().mapToInt(Tier::rank).distinct().count() == 1;
            default -> highRank == lowRank;
        };
    }

    /** The config key that sets the largest rank, for error messages. */
    public String maxRankKey() {
        return switch (policy) {
            case "fixed" -> "clients.ranks.rank";
            case "tiers" -> "clients.ranks.tiers";
            default -> highRank >= lowRank ? "clients.ranks.high-rank" : "clients.ranks.low-rank";
        };
    }
}
