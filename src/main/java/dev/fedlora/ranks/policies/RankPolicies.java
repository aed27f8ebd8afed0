package dev.fedlora.ranks.policies;

import com.typesafe.config.Config;
import dev.fedlora.config.ConfigError;
import dev.fedlora.config.Keys;
import dev.fedlora.config.RankConfigParser;
import dev.fedlora.ranks.RankConfig;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The rank policies selectable by {@code clients.ranks.policy}, each a name and the parser of its
 * config section. This is the only list of their names: a new policy is one class implementing
 * {@link RankConfig} plus one {@link #with} line in {@link #STANDARD}. Config reading finds the
 * standard policies as the {@link RankConfigParser} this class provides
 * ({@code META-INF/services/dev.fedlora.config.RankConfigParser}).
 */
public final class RankPolicies implements RankConfigParser {
    public static final String KEY = "clients.ranks.policy";

    /** The policies every run can choose, in the order the error message lists them. */
    public static final RankPolicies STANDARD = new RankPolicies(Map.of())
            .with(FixedRanks.NAME, FixedRanks::from)
            .with(RankTiers.NAME, RankTiers::from)
            .with(QualityRanks.NAME, QualityRanks::from)
            .with(BandwidthRanks.NAME, BandwidthRanks::from)
            .with(DataQualityRanks.NAME, DataQualityRanks::from);

    private final Map<String, Function<Config, ? extends RankConfig>> parsers;

    /** The {@link #STANDARD} policies: what {@link java.util.ServiceLoader} makes for config reading. */
    public RankPolicies() {
        this(STANDARD.parsers);
    }

    private RankPolicies(Map<String, Function<Config, ? extends RankConfig>> parsers) {
        this.parsers = parsers;
    }

    /**
     * These policies and one more.
     *
     * @param parse reads and validates the policy's keys, returning a config whose
     *     {@link RankConfig#policy()} is {@code name}
     * @throws IllegalArgumentException if {@code name} is already registered
     */
    public RankPolicies with(String name, Function<Config, ? extends RankConfig> parse) {
        if (parsers.containsKey(name)) throw new IllegalArgumentException("rank policy " + name + " is already registered");
        Map<String, Function<Config, ? extends RankConfig>> more = new LinkedHashMap<>(parsers);
        more.put(name, parse);
        return new RankPolicies(Collections.unmodifiableMap(more));
    }

    /** The registered names, in registration order. */
    public Set<String> names() {
        return parsers.keySet();
    }

    /**
     * The section of the policy named by {@code clients.ranks.policy}; only that policy's keys are
     * read.
     *
     * @throws ConfigError if the name is not registered (the message lists the valid names) or the
     *     policy's keys are missing, mistyped or out of range
     */
    @Override
    public RankConfig from(Config c) {
        String policy = Keys.string(c, KEY);
        Function<Config, ? extends RankConfig> parse = parsers.get(policy);
        if (parse == null) {
            throw new ConfigError(KEY + " = " + policy + " is not a rank policy; valid: " + String.join(", ", names()));
        }
        RankConfig config = parse.apply(c);
        if (!config.policy().equals(policy)) {
            throw new IllegalStateException("rank policy " + policy + " parsed a config of policy " + config.policy());
        }
        return config;
    }
}
