package dev.fedlora.data;

import java.io.Serializable;

/**
 * Which training examples each simulated client holds. Label skew follows the usual Dirichlet
 * partition (Hsu, Qi and Brown, "Measuring the effects of non-identical data distribution for
 * federated visual classification", 2019): client c has a label mix pi_c ~ Dirichlet(alpha, ..., alpha)
 * over the 10 classes; small alpha gives clients dominated by one or two classes, large alpha gives
 * nearly balanced ones. A fraction of clients is "high quality": they get balanced labels.
 *
 * <p>Everything is a function of the arguments and the seed, so every JVM that builds the same
 * shards gets the same ones.
 */
public interface ClientShards extends Serializable {

    int numClients();

    /** The example ids (indices into the training set) client {@code client} holds, ascending. */
    int[] shard(int client);

    int shardSize(int client);

    boolean isHighQuality(int client);

    /**
     * Disjoint shards ({@link DisjointDirichletShards}) when the data suffice, i.e. when
     * {@code numClients * max(1, examplesPerClient) <= labels.length}; otherwise shards sampled
     * per client on demand ({@link SampledDirichletShards}), which store nothing per client.
     *
     * @param labels the label of each training example, in [0, classes)
     * @param classes the number of classes, at most {@value ClassChooser#MAX_CLASSES}
     * @param alpha Dirichlet concentration of each client's label mix
     * @param highQualityFraction the share q of clients with balanced labels
     * @param examplesPerClient examples per client; 0 or less splits the data evenly
     * @throws IllegalArgumentException if {@code labels} is empty or holds a label outside [0, classes),
     *     {@code numClients < 1}, {@code alpha} is not a finite number > 0, {@code highQualityFraction}
     *     is outside [0, 1], or there are more clients than examples and {@code examplesPerClient <= 0}
     */
    static ClientShards create(int[] labels, int classes, int numClients, double alpha, double highQualityFraction,
            int examplesPerClient, long seed) {
        checkArguments(labels, classes, numClients, alpha, highQualityFraction);
        long demand = (long) numClients * Math.max(1, examplesPerClient);
        if (demand <= labels.length) {
            return new DisjointDirichletShards(
                    labels, classes, numClients, alpha, highQualityFraction, examplesPerClient, seed);
        }
        if (examplesPerClient <= 0) {
            throw new IllegalArgumentException("examplesPerClient must be > 0 when numClients (" + numClients
                    + ") exceeds the " + labels.length + " training examples, found " + examplesPerClient);
        }
        return new SampledDirichletShards(labels, classes, numClients, alpha, highQualityFraction, examplesPerClient, seed);
    }

    /**
     * Natural clients ({@link NaturalShards}): client {@code c} holds the examples of group {@code c}.
     *
     * @param groups the group of each training example
     * @throws IllegalArgumentException if the groups are not exactly {@code 0 .. numClients-1}, each
     *     with an example
     */
    static ClientShards natural(int[] groups, int numClients) {
        return new NaturalShards(groups, numClients);
    }

    /** {@link #natural(int[], int)} keeping a seeded sample of at most {@code cap} examples a client (0 = all). */
    static ClientShards natural(int[] groups, int numClients, int cap, long seed) {
        return new NaturalShards(groups, numClients, cap, seed);
    }

    private static void checkArguments(int[] labels, int classes, int numClients, double alpha, double highQualityFraction) {
        if (classes < 1 || classes > ClassChooser.MAX_CLASSES) {
            throw new IllegalArgumentException("client partitions take 1 to " + ClassChooser.MAX_CLASSES
                    + " classes, found " + classes);
        }
        if (labels.length == 0) {
            throw new IllegalArgumentException("labels must not be empty");
        }
        if (numClients < 1) {
            throw new IllegalArgumentException("numClients must be >= 1, found " + numClients);
        }
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("alpha must be a finite number > 0, found " + alpha);
        }
        if (!(highQualityFraction >= 0 && highQualityFraction <= 1)) {
            throw new IllegalArgumentException("highQualityFraction must be in [0, 1], found " + highQualityFraction);
        }
    }
}
