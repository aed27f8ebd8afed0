package dev.fedlora.client;

import dev.fedlora.config.TrainConfig;
import dev.fedlora.data.Examples;
import dev.fedlora.model.AdaptableModel;
import dev.fedlora.model.Adapter;
import dev.fedlora.model.TrainableNetwork;
import dev.fedlora.random.Shuffle;
import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains one client's LoRA adapter (and head) on its shard: {@code E} epochs of minibatch SGD over
 * a seeded shuffle of the shard, as the round's {@link TrainingSpec} says (which tensors, which
 * proximal term, which base). A pure function of its inputs, so a retried Spark task reproduces
 * the same update. Each thread keeps its networks (and their buffers) across clients.
 */
public final class LocalTrainer {
    private static final int MAX_CACHED_NETWORKS = 8;
    private static final ThreadLocal<ThreadNetworks> NETWORKS = ThreadLocal.withInitial(ThreadNetworks::new);

    private record NetworkKey(int rank, float scale) {}

    /**
     * One thread's networks, all built on one frozen model, which the cache holds only weakly: a
     * thread never keeps a model (and so the model's once-per-JVM caches) alive. When a strategy
     * changes the base (FLoRA, every round) the thread's networks for the old one are dropped.
     */
    private static final class ThreadNetworks {
        private WeakReference<AdaptableModel> base = new WeakReference<>(null);
        private final Map<NetworkKey, TrainableNetwork> byKey = new HashMap<>();

        TrainableNetwork get(AdaptableModel frozen, int rank, float scale) {
            if (base.get() != frozen) {
                byKey.clear();
                base = new WeakReference<>(frozen);
            }
            if (byKey.size() >= MAX_CACHED_NETWORKS) byKey.clear();
            return byKey.computeIfAbsent(new NetworkKey(rank, scale), k -> frozen.network(rank, scale));
        }

        int size() {
            return byKey.size();
        }
    }

    private final AdaptableModel base;
    private final float scale;
    private final TrainConfig config;

    public LocalTrainer(AdaptableModel base, float scale, TrainConfig config) {
        this.base = base;
        this.scale = scale;
        this.config = config;
    }

    /** Plain local training ({@link TrainingSpec#PLAIN}), with every {@code A} frozen when {@code trainA} is false. */
    public TrainResult train(Adapter start, Examples data, int[] shard, boolean trainA, SplittableRandom rng) {
        return train(start, data, shard, TrainingSpec.PLAIN.withTrainsA(trainA), rng);
    }

    /**
     * @param start the client's downloaded adapter (its rank decides the network's rank)
     * @param spec what the client trains ({@code A}, {@code B} or not), with which proximal weight, and on which
     *     base (the trainer's base with the spec's delta merged in)
     */
    public TrainResult train(Adapter start, Examples data, int[] shard, TrainingSpec spec, SplittableRandom rng) {
        AdaptableModel frozen = spec.baseDelta().applyTo(base);
        TrainableNetwork net = NETWORKS.get().get(frozen, start.rank, scale);
        net.load(start);
        double mu = spec.proximalMu();
        if (mu > 0) net.anchorAtCurrent();
        int[] order = shard.clone();
        int batch = config.batchSize();
        double lossSum = 0;
        long seen = 0;
        int steps = 0;
        for (int epoch = 0; epoch < config.epochs(); epoch++) {
            Shuffle.inPlace(order, rng);
            for (int from = 0; from < order.length; from += batch) {
                int n = Math.min(batch, order.length - from);
                net.loadBatch(data, order, from, n);
                lossSum += net.forwardBackward(n);
                net.sgdStep(config.learningRate(), config.momentum(), spec.trainsA(), spec.trainsB(), mu);
                seen += net.predictions(n);
                steps++;
            }
        }
        return new TrainResult(net.store(), seen == 0 ? Double.NaN : lossSum / seen, steps);
    }

    /** How many networks this thread keeps (for tests). */
    static int cachedNetworks() {
        return NETWORKS.get().size();
    }
}
