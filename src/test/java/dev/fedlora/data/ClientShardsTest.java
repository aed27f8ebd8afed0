package dev.fedlora.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClientShardsTest {
    private static final int N_EXAMPLES = 10_000;
    private static final int[] BALANCED_LABELS = balancedLabels(N_EXAMPLES);
    private static final long SEED = 42;

    @ParameterizedTest
    @ValueSource(doubles = {0.1, 100})
    void disjointShardsCoverEveryExampleOnce(double alpha) {
        ClientShards shards = ClientShards.create(BALANCED_LABELS, 10, 100, alpha, 0.2, 0, SEED);

        assertInstanceOf(DisjointDirichletShards.class, shards);
        int[] seen = new int[N_EXAMPLES];
        for (int c = 0; c < shards.numClients(); c++) {
            int[] shard = shards.shard(c);
            assertEquals(100, shard.length);
            assertEquals(100, shards.shardSize(c));
            assertAscending(shard);
            for (int example : shard) seen[example]++;
        }
        for (int example = 0; example < N_EXAMPLES; example++) {
            assertEquals(1, seen[example], "times example " + example + " is dealt");
        }
    }

    @Test
    void unevenSplitGivesTheFirstClientsOneMore() {
        ClientShards shards = ClientShards.create(BALANCED_LABELS, 10, 30, 0.5, 0, 0, SEED);

        int total = 0;
        for (int c = 0; c < 30; c++) {
            assertEquals(c < N_EXAMPLES % 30 ? 334 : 333, shards.shardSize(c), "size of client " + c);
            total += shards.shard(c).length;
        }
        assertEquals(N_EXAMPLES, total);
    }

    @Test
    void fixedShardSizeLeavesTheRestUnused() {
        ClientShards shards = ClientShards.create(BALANCED_LABELS, 10, 100, 0.5, 0.1, 50, SEED);

        assertInstanceOf(DisjointDirichletShards.class, shards);
        long distinct = IntStream.range(0, 100)
                .flatMap(c -> Arrays.stream(shards.shard(c))).distinct().count();
        assertEquals(5_000, distinct);
    }

    @Test
    void exactlyRoundedShareOfClientsIsHighQualityWithBalancedLabels() {
        ClientShards shards = ClientShards.create(BALANCED_LABELS, 10, 100, 0.1, 0.333, 0, SEED);

        int highQuality = 0;
        for (int c = 0; c < shards.numClients(); c++) {
            if (!shards.isHighQuality(c)) continue;
            highQuality++;
            double expected = shards.shardSize(c) / 10.0;
            int[] counts = classCounts(shards.shard(c));
            for (int k = 0; k < 10; k++) {
                assertTrue(Math.abs(counts[k] - expected) <= 2, "client " + c + " class " + k + ": " + counts[k]);
            }
        }
        assertEquals(33, highQuality);
    }

    @Test
    void smallAlphaSkewsLabelsAndLargeAlphaBalancesThem() {
        double skewed = meanMajorityShare(ClientShards.create(BALANCED_LABELS, 10, 100, 0.1, 0, 0, SEED));
        double balanced = meanMajorityShare(ClientShards.create(BALANCED_LABELS, 10, 100, 100, 0, 0, SEED));

        assertTrue(skewed > 0.5, "mean majority share at alpha 0.1: " + skewed);
        assertTrue(balanced < 0.25, "mean majority share at alpha 100: " + balanced);
    }

    @Test
    void veryConcentratedMixesStillFillEveryShard() {
        ClientShards shards = ClientShards.create(BALANCED_LABELS, 10, 100, 1e-3, 0, 0, SEED);

        for (int c = 0; c < 100; c++) assertEquals(100, shards.shard(c).length);
    }

    @Test
    void sameSeedGivesSameShardsAndAnotherSeedOtherShards() {
        ClientShards first = ClientShards.create(BALANCED_LABELS, 10, 100, 0.5, 0.2, 0, SEED);
        ClientShards again = ClientShards.create(BALANCED_LABELS, 10, 100, 0.5, 0.2, 0, SEED);
        ClientShards other = ClientShards.create(BALANCED_LABELS, 10, 100, 0.5, 0.2, 0, SEED + 1);

        boolean anyDifferent = false;
        for (int c = 0; c < 100; c++) {
            assertArrayEquals(first.shard(c), again.shard(c));
            assertEquals(first.isHighQuality(c), again.isHighQuality(c));
            anyDifferent |= !Arrays.equals(first.shard(c), other.shard(c));
        }
        assertTrue(anyDifferent);
    }

    @Test
    void shardsSurviveSerialization() throws Exception {
        ClientShards disjoint = ClientShards.create(BALANCED_LABELS, 10, 100, 0.5, 0.2, 0, SEED);
        ClientShards sampled = ClientShards.create(BALANCED_LABELS, 10, 50_000, 0.5, 0.2, 20, SEED);

        for (ClientShards shards : new ClientShards[] {disjoint, sampled}) {
            ClientShards copy = roundTrip(shards);
            assertEquals(shards.numClients(), copy.numClients());
            assertArrayEquals(shards.shard(7), copy.shard(7));
        }
    }

    @Test
    void sampledShardsAreDeterministicPerClientAtAMillionClients() {
        ClientShards shards = ClientShards.create(BALANCED_LABELS, 10, 1_000_000, 0.5, 0.2, 32, SEED);

        assertInstanceOf(SampledDirichletShards.class, shards);
        int[] last = shards.shard(999_999);
        assertEquals(32, last.length);
        assertEquals(32, shards.shardSize(999_999));
        assertArrayEquals(last, shards.shard(999_999));
        assertAscending(last);
        assertEquals(32, Arrays.stream(last).distinct().count(), "no repeats within one client");
    }

    @Test
    void sampledHighQualityClientsAreAboutTheShareAndBalanced() {
        ClientShards shards = ClientShards.create(BALANCED_LABELS, 10, 1_000_000, 0.1, 0.2, 32, SEED);

        int highQuality = 0;
        for (int c = 0; c < 20_000; c++) {
            if (!shards.isHighQuality(c)) continue;
            highQuality++;
            for (int count : classCounts(shards.shard(c))) assertTrue(count == 3 || count == 4, "client " + c);
        }
        assertEquals(0.2, highQuality / 20_000.0, 0.015);
    }

    @Test
    void sampledShardsUseFixedSizeWhenTheDataCannotBeSplit() {
        ClientShards shards = ClientShards.create(BALANCED_LABELS, 10, 1_000, 0.5, 0, 20, SEED);

        assertInstanceOf(SampledDirichletShards.class, shards);
        assertEquals(20, shards.shard(999).length);
    }

    @Test
    void invalidArgumentsNameTheParameter() {
        assertMessage("numClients", () -> ClientShards.create(BALANCED_LABELS, 10, 0, 0.5, 0, 0, SEED));
        assertMessage("alpha", () -> ClientShards.create(BALANCED_LABELS, 10, 10, 0, 0, 0, SEED));
        assertMessage("alpha", () -> ClientShards.create(BALANCED_LABELS, 10, 10, Double.NaN, 0, 0, SEED));
        assertMessage("highQualityFraction", () -> ClientShards.create(BALANCED_LABELS, 10, 10, 0.5, 1.5, 0, SEED));
        assertMessage("highQualityFraction", () -> ClientShards.create(BALANCED_LABELS, 10, 10, 0.5, -0.1, 0, SEED));
        assertMessage("examplesPerClient",
                () -> ClientShards.create(BALANCED_LABELS, 10, N_EXAMPLES + 1, 0.5, 0, 0, SEED));
        assertMessage("labels[3]", () -> ClientShards.create(new int[] {0, 1, 2, 10}, 10, 2, 0.5, 0, 0, SEED));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.1, 0.7, 1, 4.5})
    void gammaDrawsHaveMeanAndVarianceAlpha(double alpha) {
        SplittableRandom rng = new SplittableRandom(7);
        int n = 400_000;
        double sum = 0;
        double sumSquares = 0;
        for (int i = 0; i < n; i++) {
            double g = Math.exp(Dirichlet.logGamma(alpha, rng));
            sum += g;
            sumSquares += g * g;
        }
        double mean = sum / n;
        assertEquals(alpha, mean, 0.02 * alpha, "mean");
        assertEquals(alpha, sumSquares / n - mean * mean, 0.05 * alpha, "variance");
    }

    private static int[] balancedLabels(int n) {
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = i % 10;
        return labels;
    }

    private static int[] classCounts(int[] shard) {
        int[] counts = new int[10];
        for (int example : shard) counts[BALANCED_LABELS[example]]++;
        return counts;
    }

    private static double meanMajorityShare(ClientShards shards) {
        double total = 0;
        for (int c = 0; c < shards.numClients(); c++) {
            int[] shard = shards.shard(c);
            total += Arrays.stream(classCounts(shard)).max().orElseThrow() / (double) shard.length;
        }
        return total / shards.numClients();
    }

    private static void assertAscending(int[] shard) {
        for (int i = 1; i < shard.length; i++) assertTrue(shard[i - 1] < shard[i], "ascending at " + i);
    }

    private static void assertMessage(String parameter, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(parameter), () -> "message lacks " + parameter + ": " + e.getMessage());
    }

    private static ClientShards roundTrip(ClientShards shards) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(shards);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (ClientShards) in.readObject();
        }
    }
}
