package dev.fedlora.data;

import dev.fedlora.random.Seeds;
import dev.fedlora.random.Seeds.Purpose;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Shards drawn on demand, for more clients than the data can split (up to millions): nothing is
 * stored per client, only the examples grouped by class (O(n)).
 *
 * <p>{@code shard(c)} replays the stream {@code Seeds.rng(seed, SHARD_DRAW, c)}: a label mix
 * pi_c ~ Dirichlet(alpha) (balanced classes for high-quality clients, see {@link ClassChooser}),
 * then {@code examplesPerClient} times a class k ~ pi_c and an example uniform within class k.
 * Within one client no example repeats: a class whose examples the client has all drawn leaves
 * its mix (repeats start only if the client asks for more examples than exist). Client c is high
 * quality when {@code Seeds.uniform(seed, PARTITION, c, 1) < q}, so about q N clients are.
 */
final class SampledDirichletShards implements ClientShards {
    private static final long serialVersionUID = 1L;

    private final ClassIndex byClass;
    private final int numClients;
    private final double alpha;
    private final double highQualityFraction;
    private final int examplesPerClient;
    private final long seed;

    SampledDirichletShards(int[] labels, int classes, int numClients, double alpha, double highQualityFraction,
            int examplesPerClient, long seed) {
        this.byClass = ClassIndex.of(labels, classes);
        this.numClients = numClients;
        this.alpha = alpha;
        this.highQualityFraction = highQualityFraction;
        this.examplesPerClient = examplesPerClient;
        this.seed = seed;
    }

    @Override
    public int numClients() {
        return numClients;
    }

    @Override
    public int[] shard(int client) {
        Objects.checkIndex(client, numClients);
        SplittableRandom rng = Seeds.rng(seed, Purpose.SHARD_DRAW, client);
        ClassChooser chooser = ClassChooser.forClient(byClass.classes(), isHighQuality(client), alpha, rng);
        ClientDraws draws = new ClientDraws(rng);
        int[] shard = new int[examplesPerClient];
        for (int i = 0; i < shard.length; i++) {
            shard[i] = draws.take(chooser.next(draws.available()));
        }
        Arrays.sort(shard);
        return shard;
    }

    @Override
    public int shardSize(int client) {
        Objects.checkIndex(client, numClients);
        return examplesPerClient;
    }

    @Override
    public boolean isHighQuality(int client) {
        Objects.checkIndex(client, numClients);
        return Seeds.uniform(seed, Purpose.PARTITION, client, 1) < highQualityFraction;
    }

    /** One client's draws: uniform within a class, rejecting examples this client already has. */
    private final class ClientDraws {
        private final SplittableRandom rng;
        private final Set<Integer> taken = new HashSet<>();
        private final int[] takenPerClass = new int[byClass.classes()];
        private int available = byClass.nonEmptyClasses();

        ClientDraws(SplittableRandom rng) {
            this.rng = rng;
        }

        /** Bit k set while this client has not drawn every example of class k. */
        int available() {
            return available;
        }

        int take(int k) {
            int example;
            do {
                example = byClass.get(k, rng.nextInt(byClass.count(k)));
            } while (!taken.add(example));
            if (++takenPerClass[k] == byClass.count(k)) exhaust(k);
            return example;
        }

        private void exhaust(int k) {
            available &= ~(1 << k);
            if (available == 0) {
                taken.clear();
                Arrays.fill(takenPerClass, 0);
                available = byClass.nonEmptyClasses();
            }
        }
    }
}
