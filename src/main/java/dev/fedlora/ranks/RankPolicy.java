package dev.fedlora.ranks;

import dev.fedlora.data.ClientShards;
import dev.fedlora.model.Adapter;
import dev.fedlora.model.AdapterLayout;
import java.io.Serializable;

/**
 * Which LoRA rank a client trains at: a pure function of the client id (and the seed), which a
 * policy may replace after a round ({@link #afterRound}) with one informed by the global model.
 * Built from the run's {@link RankConfig}, it is kept in checkpoints.
 */
@FunctionalInterface
public interface RankPolicy extends Serializable {
    int rankOf(int client);

    /**
     * The policy for the rounds after {@code round}, given the global adapter it produced and a
     * way to score every client on its held-out split; most policies never change.
     */
    default RankPolicy afterRound(int round, Adapter global, ClientScorer scorer) {
        return this;
    }

    /**
     * The runtime policy that {@code config} describes ({@link RankConfig#create}).
     *
     * @param layout the fine-tuned model, which fixes what an upload of each rank costs
     */
    static RankPolicy create(RankConfig config, ClientShards shards, long seed, AdapterLayout layout) {
        return config.create(shards, seed, layout);
    }
}
