package dev.fedlora.config;

import com.typesafe.config.Config;
import dev.fedlora.ranks.RankConfig;

/**
 * What reading a config needs from the rank policies: the section of the policy that
 * {@code clients.ranks.policy} names. The standard policies ({@code ranks.policies.RankPolicies})
 * are the one provider of this service, registered in
 * {@code META-INF/services/dev.fedlora.config.RankConfigParser} and found by
 * {@link ExperimentConfig#from(Config)}, so this package never names them; a caller may hand
 * {@link ExperimentConfig#from(Config, RankConfigParser)} a parser of its own.
 */
public interface RankConfigParser {
    /**
     * The validated section of the policy named by {@code clients.ranks.policy}.
     *
     * @throws ConfigError if the name is not a policy (the message lists the valid names) or the
     *     policy's keys are missing, mistyped or out of range
     */
    RankConfig from(Config c);
}
