package dev.fedlora.engine;

import dev.fedlora.data.ClientShards;
import dev.fedlora.data.Examples;
import dev.fedlora.model.AdaptableModel;
import dev.fedlora.model.Adapter;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Scores every client (all N, not just a cohort) with a global adapter on its held-out split, as
 * job over fixed slices of the client ids on the {@link Backend}. Costs O(N) on the driver: meant for policies
 * that rank the whole population once (the data-quality policy), not for a million clients.
 */
final class ValidationScorer implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Backend.Shared<Examples> train;
    private final float scale;
    private final ShardSpec shardSpec;
    private final int slices;

    ValidationScorer(Backend.Shared<Examples> train, float scale, ShardSpec shardSpec, int slices) {
        this.train = train;
        this.scale = scale;
        this.shardSpec = shardSpec;
        this.slices = slices;
    }

    double[] score(Backend backend, Adapter adapter, AdaptableModel frozen) {
        Backend.Shared<Adapter> a = backend.share(adapter);
        Backend.Shared<AdaptableModel> b = backend.share(frozen);
        List<Integer> clients = new ArrayList<>(shardSpec.numClients());
        for (int c = 0; c < shardSpec.numClients(); c++) clients.add(c);
        List<Double> accuracy = backend.map(clients, slices, c -> accuracy(c, a.value(), b.value()));
        a.destroy();
        b.destroy();
        double[] out = new double[accuracy.size()];
        for (int c = 0; c < out.length; c++) out[c] = accuracy.get(c);
        return out;
    }

    private double accuracy(int client, Adapter adapter, AdaptableModel frozen) {
        return heldOutAccuracy(shardSpec, train.value(), client, frozen, scale, adapter);
    }

    /** {@code adapter}'s accuracy on client {@code client}'s held-out split of {@code data} (0 when it holds none out). */
    static double heldOutAccuracy(ShardSpec shardSpec, Examples data, int client, AdaptableModel frozen, float scale,
                                  Adapter adapter) {
        int[] held = shardSpec.validationPart(shardSpec.shardsOf(data), client);
        if (held.length == 0) return 0;
        double[] r = Evaluator.evaluateExamples(frozen, scale, adapter, data, held);
        return r[1] / r[2];
    }
}
