package dev.fedlora.client;

import dev.fedlora.data.LabeledImages;
import dev.fedlora.model.BaseMlp;
import dev.fedlora.model.FirstLayerProjection;
import dev.fedlora.model.LoraNetwork;
import dev.fedlora.model.LoraParams;
import dev.fedlora.model.ModelShape;
import dev.fedlora.random.Shuffle;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains one client's LoRA adapter (and head) on its shard: {@code E} epochs of minibatch SGD over
 * a seeded shuffle of the shard. A pure function of its inputs, so a retried Spark task reproduces
 * the same update. Each thread keeps its networks (and their buffers) across clients, and the frozen
 * first layer's products come from the once-per-JVM {@link FirstLayerProjection}.
 */
public final class LocalTrainer {
    private static final int MAX_CACHED_NETWORKS = 8;
    private static final ThreadLocal<Map<NetworkKey, LoraNetwork>> NETWORKS = ThreadLocal.withInitial(HashMap::new);

    /** Networks are keyed by the identity of their frozen base, their shape, rank and scale. */
    private record NetworkKey(BaseMlp base, ModelShape shape, int rank, float scale) {}

    private final BaseMlp base;
    private final ModelShape shape;
    private final float scale;
    private final TrainConfig config;

    public LocalTrainer(BaseMlp base, ModelShape shape, float scale, TrainConfig config) {
        this.base = base;
        this.shape = shape;
        this.scale = scale;
        this.config = config;
    }

    /**
     * @param start the client's downloaded adapter (its rank decides the network's rank)
     * @param trainA false freezes every {@code A} (FFA-LoRA)
     */
    public TrainResult train(LoraParams start, LabeledImages data, int[] shard, boolean trainA, SplittableRandom rng) {
        LoraNetwork net = network(start.rank);
        net.load(start);
        float[] firstLayer = FirstLayerProjection.of(base, data);
        int[] order = shard.clone();
        int batch = config.batchSize();
        double lossSum = 0;
        long seen = 0;
        int steps = 0;
        for (int epoch = 0; epoch < config.epochs(); epoch++) {
            Shuffle.inPlace(order, rng);
            for (int from = 0; from < order.length; from += batch) {
                int n = Math.min(batch, order.length - from);
                net.loadBatch(data, firstLayer, order, from, n);
                lossSum += net.forwardBackward(n);
                net.sgdStep(config.learningRate(), config.momentum(), trainA);
                seen += n;
                steps++;
            }
        }
        return new TrainResult(net.store(), seen == 0 ? Double.NaN : lossSum / seen, steps);
    }

    /** This thread's network for the rank, built once and reused by every client it trains. */
    private LoraNetwork network(int rank) {
        Map<NetworkKey, LoraNetwork> nets = NETWORKS.get();
        if (nets.size() > MAX_CACHED_NETWORKS) nets.clear();
        return nets.computeIfAbsent(new NetworkKey(base, shape, rank, scale),
                k -> new LoraNetwork(base, shape, rank, scale));
    }
}
