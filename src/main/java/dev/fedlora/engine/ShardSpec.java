package dev.fedlora.engine;

import dev.fedlora.config.ClientsConfig;
import dev.fedlora.data.ClientShards;
import dev.fedlora.data.Examples;
import dev.fedlora.data.ShardSplit;
import java.io.Serializable;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The recipe of the client partition: a few numbers that every executor turns into the same
 * {@link ClientShards} over the broadcast training set, once per JVM.
 */
public record ShardSpec(int numClients, boolean natural, double dirichletAlpha, double highQualityFraction, int examplesPerClient,
                        double validationFraction, long seed) implements Serializable {
    private static final Map<Examples, Map<ShardSpec, ClientShards>> CACHE =
            Collections.synchronizedMap(new WeakHashMap<>());

    /**
     * The run's shards, holding out {@code eval.client-holdout} of every shard when client-side
     * evaluation is on and the rank policy holds out nothing itself.
     *
     * @throws dev.fedlora.config.ConfigError if both hold out, by different shares
     */
    public static ShardSpec of(dev.fedlora.config.ExperimentConfig cfg) {
        ShardSpec spec = of(cfg.clients(), cfg.seed());
        if (cfg.run().evalClients() == 0) return spec;
        double holdout = cfg.run().evalClientHoldout();
        if (spec.validationFraction() == 0) {
            return new ShardSpec(spec.numClients(), spec.natural(), spec.dirichletAlpha(), spec.highQualityFraction(),
                    spec.examplesPerClient(), holdout, spec.seed());
        }
        if (spec.validationFraction() != holdout) {
            throw new dev.fedlora.config.ConfigError("eval.client-holdout = " + holdout + " differs from the rank policy's"
                    + " held-out share " + spec.validationFraction() + " (clients.ranks.data-quality.validation-fraction):"
                    + " one held-out split serves both, so set them equal");
        }
        return spec;
    }

    public static ShardSpec of(ClientsConfig clients, long seed) {
        return new ShardSpec(clients.count(), clients.partition().natural(), clients.partition().dirichletAlpha(),
                clients.partition().highQualityFraction(), clients.partition().examplesPerClient(),
                clients.ranks().validationFraction(), seed);
    }

    /** What client {@code client} trains on: its shard less the held-out validation part, if any. */
    public int[] trainingPart(ClientShards shards, int client) {
        return ShardSplit.split(shards.shard(client), validationFraction, seed, client)[0];
    }

    /** Client {@code client}'s held-out validation part (empty when nothing is held out). */
    public int[] validationPart(ClientShards shards, int client) {
        return ShardSplit.split(shards.shard(client), validationFraction, seed, client)[1];
    }

    private static int[] groups(Examples data) {
        int[] g = new int[data.size()];
        for (int i = 0; i < g.length; i++) g[i] = data.group(i);
        return g;
    }

    /** The partition of {@code data}, built on first use in this JVM and reused after. */
    public ClientShards shardsOf(Examples data) {
        Map<ShardSpec, ClientShards> perData = CACHE.computeIfAbsent(data, d -> new HashMap<>());
        synchronized (perData) {
            return perData.computeIfAbsent(this, s -> natural ? ClientShards.natural(groups(data), numClients, examplesPerClient, seed)
                    : ClientShards.create(data.labels(), data.classes(), numClients, dirichletAlpha, highQualityFraction,
                            examplesPerClient, seed));
        }
    }
}
