package dev.fedlora.ranks;

import dev.fedlora.data.ClientShards;
import dev.fedlora.model.AdapterLayout;
import java.io.Serializable;

/**
 * The config section of the rank policy chosen by {@code clients.ranks.policy}: an immutable
 * record, validated when built, that says what the run can rely on before any client exists and
 * builds the {@link RankPolicy} the round loop asks. Each policy is one class implementing this,
 * registered by name in {@code ranks.policies.RankPolicies}.
 */
public interface RankConfig extends Serializable {
    /** The name this policy is registered under, the value of {@code clients.ranks.policy}. */
    String policy();

    /** The largest rank this policy can give a client. */
    int maxRank();

    /**
     * True when every client gets the same rank, whatever the model's layout; a strategy that needs
     * equal ranks accepts only such a policy.
     */
    boolean uniform();

    /** The config key that sets {@link #maxRank()}, for error messages. */
    String maxRankKey();

    /** The share of each client's shard held out for validation; 0 unless the policy scores clients. */
    default double validationFraction() {
        return 0;
    }

    /**
     * The runtime policy of a run.
     *
     * @param shards the run's client partition
     * @param seed the experiment seed
     * @param layout the fine-tuned model, which fixes what an upload of each rank costs
     */
    RankPolicy create(ClientShards shards, long seed, AdapterLayout layout);
}
