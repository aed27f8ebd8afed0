package dev.fedlora.engine;

import dev.fedlora.client.CohortSampler;
import dev.fedlora.data.ClientShards;
import dev.fedlora.data.Examples;
import dev.fedlora.model.AdaptableModel;
import dev.fedlora.model.Adapter;
import dev.fedlora.random.Seeds;
import dev.fedlora.ranks.RankPolicy;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Client-side evaluation ({@code eval.clients}): the global model on the held-out splits of a
 * sample of clients, drawn by a seed of (experiment seed, round) so every run visits the same ones.
 * It reports the clients' mean accuracy, the 10th and 90th percentiles (nearest rank: the
 * {@code ceil(p K)}-th smallest of K) and the mean per group, the quality group when the partition
 * has high-quality clients, else the client's rank this round — what a global test set hides.
 */
final class ClientEvaluator implements Serializable {
    private static final long serialVersionUID = 1L;

    /** One round's client-side figures; {@code byGroup} reads e.g. {@code high-quality=0.81;other=0.52}. */
    record Result(double mean, double p10, double p90, String byGroup) implements Serializable {}

    private final Backend.Shared<Examples> train;
    private final float scale;
    private final ShardSpec shardSpec;
    private final int clients;
    private final long seed;

    ClientEvaluator(Backend.Shared<Examples> train, float scale, ShardSpec shardSpec, int clients, long seed) {
        this.train = train;
        this.scale = scale;
        this.shardSpec = shardSpec;
        this.clients = Math.min(clients, shardSpec.numClients());
        this.seed = seed;
    }

    /** The figures of {@code adapter} on {@code frozen} after round {@code round}. */
    Result evaluate(Backend backend, Adapter adapter, AdaptableModel frozen, int round, RankPolicy ranks) {
        int[] sampled = CohortSampler.sample(seed, Seeds.Purpose.CLIENT_EVAL, round, shardSpec.numClients(), clients);
        Backend.Shared<Adapter> a = backend.share(adapter);
        Backend.Shared<AdaptableModel> b = backend.share(frozen);
        List<Integer> ids = new ArrayList<>();
        for (int c : sampled) ids.add(c);
        List<Double> accuracy = backend.map(ids, Math.min(ids.size(), 16), c -> accuracy(c, a.value(), b.value()));
        a.destroy();
        b.destroy();
        ClientShards shards = shardSpec.shardsOf(train.value());
        boolean quality = shardSpec.highQualityFraction() > 0 && !shardSpec.natural();
        Map<String, double[]> groups = new TreeMap<>();
        double[] values = new double[sampled.length];
        for (int i = 0; i < sampled.length; i++) {
            values[i] = accuracy.get(i);
            String group = quality ? (shards.isHighQuality(sampled[i]) ? "high-quality" : "other")
                    : "rank-" + ranks.rankOf(sampled[i]);
            double[] sum = groups.computeIfAbsent(group, g -> new double[2]);
            sum[0] += values[i];
            sum[1]++;
        }
        StringBuilder byGroup = new StringBuilder();
        for (Map.Entry<String, double[]> g : groups.entrySet()) {
            if (byGroup.length() > 0) byGroup.append(';');
            byGroup.append(g.getKey()).append('=').append(String.format(java.util.Locale.ROOT, "%.4f", g.getValue()[0] / g.getValue()[1]));
        }
        return new Result(Arrays.stream(values).sum() / values.length, percentile(values, 0.1), percentile(values, 0.9),
                byGroup.toString());
    }

    /** The nearest-rank percentile: the {@code ceil(p n)}-th smallest value (the smallest for p n <= 1). */
    static double percentile(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private double accuracy(int client, Adapter adapter, AdaptableModel frozen) {
        return ValidationScorer.heldOutAccuracy(shardSpec, train.value(), client, frozen, scale, adapter);
    }
}
