package dev.fedlora.strategy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import dev.fedlora.config.StrategyConfig;
import dev.fedlora.model.LoraParams;
import dev.fedlora.model.ModelShape;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract of every registered strategy: the fold is associative and commutative (any order,
 * any grouping, any merge tree gives the single in-order pass), and accumulators survive Java
 * serialization (they cross the Spark wire) unchanged.
 */
class StrategyContractTest {
    /** Two adapted layers (5 -> 4 -> 3) and 3 classes: maxRank 3, 53 values at rank 3. */
    private static final ModelShape SHAPE = new ModelShape(5, 4, 3, 3);
    private static final int MAX_RANK = 3;
    private static final int CLIENTS = 6;
    private static final float TOLERANCE = 1e-6f;

    record Case(String label, Strategy strategy) {
        @Override
        public String toString() {
            return label;
        }
    }

    static Stream<Case> strategies() {
        return Stream.of(
                new Case("zero_pad", create("zero_pad", 1, 1)),
                new Case("replication_pad", create("replication_pad", 1, 1)),
                new Case("flasc 1/1", create("flasc", 1, 1)),
                new Case("flasc 0.5/0.3", create("flasc", 0.5, 0.3)));
    }

    private static Strategy create(String name, double down, double up) {
        return Strategies.create(new StrategyConfig(name, down, up, 1.0));
    }

    private static GlobalModel global() {
        SplittableRandom rng = new SplittableRandom(2024);
        float[] theta = new float[MAX_RANK * SHAPE.valuesPerRankSlot() + SHAPE.headValues()];
        for (int i = 0; i < theta.length; i++) theta[i] = (float) LoraParams.gaussian(rng);
        return new GlobalModel(LoraParams.unflatten(SHAPE, MAX_RANK, theta));
    }

    /** Six clients trained from the download: mixed ranks 1..3 unless the strategy needs equal ranks. */
    private static List<ClientUpdate> updates(Strategy strategy, GlobalModel global) {
        SplittableRandom rng = new SplittableRandom(99);
        Download download = strategy.download(global, 4);
        List<ClientUpdate> updates = new ArrayList<>();
        for (int k = 0; k < CLIENTS; k++) {
            int rank = strategy.requiresEqualRanks() ? MAX_RANK : 1 + k % MAX_RANK;
            LoraParams start = download.startFor(rank);
            float[] values = start.flatten();
            for (int i = 0; i < values.length; i++) values[i] += (float) (0.1 * LoraParams.gaussian(rng));
            LoraParams trained = LoraParams.unflatten(SHAPE, rank, values);
            Upload upload = strategy.upload(download, start, trained);
            updates.add(new ClientUpdate(k, rank, 1 + rng.nextInt(50), upload.payload()));
        }
        return updates;
    }

    private static Accumulator foldAll(Strategy strategy, GlobalModel global, List<ClientUpdate> updates) {
        Accumulator acc = strategy.zero(global);
        for (ClientUpdate u : updates) acc.add(u);
        return acc;
    }

    private static float[] finished(Strategy strategy, GlobalModel global, Accumulator acc) {
        assertEquals(CLIENTS, acc.count(), "updates folded");
        return strategy.finish(acc, global).adapter().flatten();
    }

    private static float[] inOrder(Strategy strategy, GlobalModel global, List<ClientUpdate> updates) {
        return finished(strategy, global, foldAll(strategy, global, updates));
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void shuffledOrderGivesTheInOrderResult(Case c) {
        GlobalModel global = global();
        List<ClientUpdate> updates = updates(c.strategy(), global);
        float[] expected = inOrder(c.strategy(), global, updates);

        for (long seed = 1; seed <= 5; seed++) {
            List<ClientUpdate> shuffled = new ArrayList<>(updates);
            Collections.shuffle(shuffled, new Random(seed));
            assertArrayEquals(expected, finished(c.strategy(), global, foldAll(c.strategy(), global, shuffled)),
                    TOLERANCE, "shuffle seed " + seed);
        }
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void groupsFoldedApartAndMergedInAnyTreeGiveTheInOrderResult(Case c) {
        GlobalModel global = global();
        List<ClientUpdate> updates = updates(c.strategy(), global);
        float[] expected = inOrder(c.strategy(), global, updates);
        int[][][] groupings = {
                {{0, 1}, {2, 3, 4}, {5}},
                {{5, 0}, {3}, {}, {1, 2, 4}},
                {{0}, {1}, {2}, {3}, {4}, {5}},
                {{4, 2, 0, 5, 3, 1}, {}},
        };

        for (int[][] grouping : groupings) {
            String label = java.util.Arrays.deepToString(grouping);
            assertArrayEquals(expected, finished(c.strategy(), global,
                    mergeLeft(groups(c.strategy(), global, updates, grouping))), TOLERANCE, label + " merged left");
            assertArrayEquals(expected, finished(c.strategy(), global,
                    mergeRight(groups(c.strategy(), global, updates, grouping))), TOLERANCE, label + " merged right");
            assertArrayEquals(expected, finished(c.strategy(), global,
                    mergeTree(groups(c.strategy(), global, updates, grouping), 0, grouping.length)),
                    TOLERANCE, label + " merged as a tree");
            Accumulator intoZero = c.strategy().zero(global);
            for (Accumulator g : groups(c.strategy(), global, updates, grouping)) intoZero.merge(g);
            assertArrayEquals(expected, finished(c.strategy(), global, intoZero), TOLERANCE, label + " merged into zero");
        }
    }

    private static List<Accumulator> groups(Strategy s, GlobalModel global, List<ClientUpdate> updates, int[][] grouping) {
        List<Accumulator> partials = new ArrayList<>();
        for (int[] group : grouping) {
            Accumulator acc = s.zero(global);
            for (int k : group) acc.add(updates.get(k));
            assertEquals(group.length, acc.count());
            partials.add(acc);
        }
        return partials;
    }

    private static Accumulator mergeLeft(List<Accumulator> partials) {
        Accumulator acc = partials.get(0);
        for (int i = 1; i < partials.size(); i++) acc.merge(partials.get(i));
        return acc;
    }

    private static Accumulator mergeRight(List<Accumulator> partials) {
        Accumulator acc = partials.get(partials.size() - 1);
        for (int i = partials.size() - 2; i >= 0; i--) acc.merge(partials.get(i));
        return acc;
    }

    private static Accumulator mergeTree(List<Accumulator> partials, int from, int to) {
        if (to - from == 1) return partials.get(from);
        int mid = (from + to) / 2;
        Accumulator right = mergeTree(partials, mid, to);
        right.merge(mergeTree(partials, from, mid));
        return right;
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void accumulatorsSurviveSerialization(Case c) throws Exception {
        GlobalModel global = global();
        List<ClientUpdate> updates = updates(c.strategy(), global);
        int[][] grouping = {{0, 3}, {1, 4, 5}, {2}};
        Accumulator direct = mergeLeft(groups(c.strategy(), global, updates, grouping));

        List<Accumulator> shipped = new ArrayList<>();
        for (Accumulator partial : groups(c.strategy(), global, updates, grouping)) {
            Accumulator copy = roundTrip(partial);
            assertNotSame(partial, copy);
            assertEquals(partial.count(), copy.count());
            shipped.add(copy);
        }
        Strategy shippedStrategy = roundTrip(c.strategy());
        GlobalModel shippedGlobal = roundTrip(global);

        float[] expected = finished(c.strategy(), global, direct);
        assertArrayEquals(expected, finished(shippedStrategy, shippedGlobal, mergeLeft(shipped)));
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void downloadsAndUpdatesSurviveSerialization(Case c) throws Exception {
        GlobalModel global = global();
        int rank = c.strategy().requiresEqualRanks() ? MAX_RANK : 2;
        Download download = c.strategy().download(global, 0);
        Download copy = roundTrip(download);

        assertArrayEquals(download.startFor(rank).flatten(), copy.startFor(rank).flatten());
        assertEquals(download.bytesFor(rank), copy.bytesFor(rank));

        List<ClientUpdate> updates = updates(c.strategy(), global);
        List<ClientUpdate> shippedUpdates = new ArrayList<>();
        for (ClientUpdate u : updates) shippedUpdates.add(roundTrip(u));
        assertArrayEquals(inOrder(c.strategy(), global, updates), inOrder(c.strategy(), global, shippedUpdates));
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T value) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}
