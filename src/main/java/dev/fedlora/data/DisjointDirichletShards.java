package dev.fedlora.data;

import dev.fedlora.random.Seeds;
import dev.fedlora.random.Seeds.Purpose;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Shards that share no example: each training example belongs to at most one client (to exactly
 * one when the data are split evenly).
 *
 * <p>Sizes: n / N each with the first n mod N clients one more, or {@code examplesPerClient} each,
 * leaving the rest unused. Exactly round(q N) clients, picked by a seeded shuffle, are high quality.
 * Each class's examples form a pool, shuffled once. Clients are dealt in turn, the high-quality ones
 * first (so their pools are still full), then the others by id; each slot draws a class from the
 * client's mix restricted to classes whose pool is not empty (see {@link ClassChooser}) and takes
 * the next example of that pool. Building costs O(n + 10 N); the result is n + 2N ints.
 */
final class DisjointDirichletShards implements ClientShards {
    private static final long serialVersionUID = 1L;

    /** Stream paths under {@link Purpose#PARTITION} that cannot collide with a client id (>= 0). */
    private static final long HIGH_QUALITY_STREAM = -1;
    private static final long POOL_STREAM = -2;
    private static final int UNUSED = -1;

    /** Client c holds {@code examples[offsets[c] .. offsets[c+1])}, ascending. */
    private final int[] offsets;
    private final int[] examples;
    private final boolean[] highQuality;

    /** @throws IllegalArgumentException if the clients ask for more examples than there are */
    DisjointDirichletShards(int[] labels, int classes, int numClients, double alpha, double highQualityFraction,
            int examplesPerClient, long seed) {
        this.offsets = offsets(labels.length, numClients, examplesPerClient);
        this.highQuality = chooseHighQuality(numClients, highQualityFraction, seed);
        this.examples = groupByOwner(deal(labels, classes, alpha, seed), offsets);
    }

    @Override
    public int numClients() {
        return highQuality.length;
    }

    @Override
    public int[] shard(int client) {
        Objects.checkIndex(client, numClients());
        return Arrays.copyOfRange(examples, offsets[client], offsets[client + 1]);
    }

    @Override
    public int shardSize(int client) {
        Objects.checkIndex(client, numClients());
        return offsets[client + 1] - offsets[client];
    }

    @Override
    public boolean isHighQuality(int client) {
        return highQuality[client];
    }

    private static int[] offsets(int n, int numClients, int examplesPerClient) {
        if ((long) numClients * Math.max(1, examplesPerClient) > n) {
            throw new IllegalArgumentException("numClients x examplesPerClient = " + numClients + " x "
                    + examplesPerClient + " exceeds the " + n + " training examples");
        }
        int[] offsets = new int[numClients + 1];
        for (int c = 0; c < numClients; c++) {
            int size = examplesPerClient > 0 ? examplesPerClient : n / numClients + (c < n % numClients ? 1 : 0);
            offsets[c + 1] = offsets[c] + size;
        }
        return offsets;
    }

    /** The first round(q N) clients of a seeded Fisher–Yates shuffle of 0..N-1. */
    private static boolean[] chooseHighQuality(int numClients, double fraction, long seed) {
        int count = (int) Math.round(fraction * numClients);
        int[] clients = new int[numClients];
        for (int c = 0; c < numClients; c++) clients[c] = c;
        SplittableRandom rng = Seeds.rng(seed, Purpose.PARTITION, HIGH_QUALITY_STREAM);
        boolean[] chosen = new boolean[numClients];
        for (int i = 0; i < count; i++) {
            int j = i + rng.nextInt(numClients - i);
            int swap = clients[i];
            clients[i] = clients[j];
            clients[j] = swap;
            chosen[clients[i]] = true;
        }
        return chosen;
    }

    /** owner[e] = the client example e is dealt to, or {@link #UNUSED}. */
    private int[] deal(int[] labels, int classes, double alpha, long seed) {
        int[] owner = new int[labels.length];
        Arrays.fill(owner, UNUSED);
        ClassIndex index = ClassIndex.of(labels, classes);
        ClassPools pools = new ClassPools(index, Seeds.rng(seed, Purpose.PARTITION, POOL_STREAM));
        for (int client : dealingOrder()) {
            SplittableRandom rng = Seeds.rng(seed, Purpose.PARTITION, client);
            ClassChooser chooser = ClassChooser.forClient(index.classes(), highQuality[client], alpha, rng);
            for (int slot = 0; slot < shardSize(client); slot++) {
                owner[pools.pop(chooser.next(pools.available()))] = client;
            }
        }
        return owner;
    }

    /** High-quality clients by id, then the others by id. */
    private int[] dealingOrder() {
        int[] order = new int[numClients()];
        int next = 0;
        for (int c = 0; c < order.length; c++) if (highQuality[c]) order[next++] = c;
        for (int c = 0; c < order.length; c++) if (!highQuality[c]) order[next++] = c;
        return order;
    }

    /** A counting sort by owner: one pass over the examples in id order keeps each shard ascending. */
    private static int[] groupByOwner(int[] owner, int[] offsets) {
        int[] grouped = new int[offsets[offsets.length - 1]];
        int[] cursor = Arrays.copyOf(offsets, offsets.length - 1);
        for (int example = 0; example < owner.length; example++) {
            if (owner[example] != UNUSED) grouped[cursor[owner[example]]++] = example;
        }
        return grouped;
    }

    /** Per-class queues of the examples not yet dealt, each shuffled once. */
    private static final class ClassPools {
        private final int[] examples;
        private final int[] next;
        private final int[] end;
        private int available;

        ClassPools(ClassIndex index, SplittableRandom rng) {
            this.examples = index.shuffledWithinClasses(rng);
            this.next = new int[index.classes()];
            this.end = new int[index.classes()];
            for (int k = 0; k < next.length; k++) {
                next[k] = index.start(k);
                end[k] = index.start(k) + index.count(k);
            }
            this.available = index.nonEmptyClasses();
        }

        /** Bit k set while pool k has examples left. */
        int available() {
            return available;
        }

        int pop(int k) {
            int example = examples[next[k]++];
            if (next[k] == end[k]) available &= ~(1 << k);
            return example;
        }
    }
}
