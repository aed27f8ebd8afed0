package dev.fedlora.strategy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import dev.fedlora.client.TrainingSpec;
import dev.fedlora.model.BaseMlp;
import dev.fedlora.model.Adapter;
import dev.fedlora.model.AdapterLayout;
import dev.fedlora.state.ClientState;
import dev.fedlora.strategy.registry.Strategies;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract of every registered strategy: the fold is associative and commutative (any order,
 * any grouping, any merge tree gives the single in-order pass), and accumulators survive Java
 * serialization (they cross the Spark wire) unchanged. Each strategy runs from a fresh global model
 * and from one a round old (with whatever server state the first round left). What is compared is
 * everything the next round depends on: the global adapter, the frozen base, every client's rank,
 * and the next download.
 */
class StrategyContractTest {
    /** Two adapted layers (5 -> 4 -> 3) and 3 classes: maxRank 3, 53 values at rank 3. */
    private static final AdapterLayout SHAPE = dev.fedlora.model.MlpModel.layoutOf(5, 4, 3, 3);
    private static final int MAX_RANK = 3;
    private static final int CLIENTS = 6;
    private static final float TOLERANCE = 1e-6f;
    private static final BaseMlp BASE = base();

    record Case(String label, Strategy strategy, boolean warm) {
        @Override
        public String toString() {
            return label + (warm ? ", second round" : ", first round");
        }
    }

    static Stream<Case> strategies() {
        List<Case> cases = new ArrayList<>();
        for (boolean warm : new boolean[] {false, true}) {
            cases.add(new Case("zero_pad", create("strategy.name = zero_pad"), warm));
            cases.add(new Case("replication_pad", create("strategy.name = replication_pad"), warm));
            cases.add(new Case("fedavg", create("strategy.name = fedavg"), warm));
            cases.add(new Case("hetlora", create("strategy.name = hetlora"), warm));
            cases.add(new Case("hetlora pruning at 0.3",
                    create("strategy.name = hetlora", "strategy.hetlora.prune-threshold = 0.3"), warm));
            cases.add(new Case("flexlora", create("strategy.name = flexlora"), warm));
            cases.add(new Case("flora", create("strategy.name = flora"), warm));
            cases.add(new Case("ffa_lora", create("strategy.name = ffa_lora"), warm));
            cases.add(new Case("flasc 1/1", create("strategy.name = flasc"), warm));
            cases.add(new Case("flasc 0.5/0.3", create("strategy.name = flasc", "strategy.flasc.download-density = 0.5",
                    "strategy.flasc.upload-density = 0.3"), warm));
            cases.add(new Case("flasc linear schedule, adam", create("strategy.name = flasc",
                    "strategy.flasc { download-density = 0.8, upload-density = 0.5, schedule = linear }",
                    "strategy.flasc { final-download-density = 0.2, final-upload-density = 0.1 }",
                    "strategy.flasc { server-optimizer = adam, server-learning-rate = 0.01 }"), warm));
            cases.add(new Case("flasc cosine schedule, frozen mask", create("strategy.name = flasc",
                    "strategy.flasc { download-density = 0.5, upload-density = 0.5, schedule = cosine }",
                    "strategy.flasc { final-download-density = 0.5, final-upload-density = 0.1, frozen-mask = true }"),
                    warm));
            cases.add(new Case("flasc 0.5/0.3 with error feedback", create("strategy.name = flasc",
                    "strategy.flasc { download-density = 0.5, upload-density = 0.3, error-feedback = residual }"), warm));
            cases.add(new Case("fedprox", create("strategy.name = fedprox", "strategy.fedprox.mu = 0.1"), warm));
            cases.add(new Case("fedex_lora", create("strategy.name = fedex_lora"), warm));
            cases.add(new Case("rolora", create("strategy.name = rolora"), warm));
            cases.add(new Case("fedsa_lora", create("strategy.name = fedsa_lora"), warm));
            String dp = "privacy { mechanism = gaussian, noise-multiplier = 0.5, clip-norm = 0.3 }";
            cases.add(new Case("fedavg with DP-FedAvg", create("strategy.name = fedavg", dp), warm));
            cases.add(new Case("ffa_lora with DP-FedAvg", create("strategy.name = ffa_lora", dp), warm));
            cases.add(new Case("flasc 0.5/0.3 with DP-FedAvg, fixed-size cohorts", create("strategy.name = flasc",
                    "strategy.flasc.download-density = 0.5", "strategy.flasc.upload-density = 0.3", dp,
                    "privacy.sampling = fixed"), warm));
        }
        return cases.stream();
    }

    @Test
    void everyRegisteredStrategyIsCovered() {
        Set<String> covered = new HashSet<>();
        strategies().forEach(c -> covered.add(c.label().split(" ")[0]));

        assertEquals(Strategies.names(), covered);
    }

    private static Strategy create(String... settings) {
        return Strategies.create(Adapters.config(settings));
    }

    private static BaseMlp base() {
        SplittableRandom rng = new SplittableRandom(7);
        int[] sizes = {5, 4, 3, 3};
        float[][] weights = new float[3][];
        float[][] biases = new float[3][];
        for (int l = 0; l < 3; l++) {
            weights[l] = new float[sizes[l] * sizes[l + 1]];
            biases[l] = new float[sizes[l + 1]];
            for (int i = 0; i < weights[l].length; i++) weights[l][i] = (float) Adapter.gaussian(rng);
        }
        return new BaseMlp(sizes, weights, biases);
    }

    private static GlobalModel coldGlobal() {
        SplittableRandom rng = new SplittableRandom(2024);
        float[] theta = new float[MAX_RANK * SHAPE.valuesPerRankSlot() + SHAPE.denseValues()];
        for (int i = 0; i < theta.length; i++) theta[i] = (float) Adapter.gaussian(rng);
        return Adapters.global(Adapter.unflatten(SHAPE, MAX_RANK, theta));
    }

    /** The global model of the case: fresh, or after one round of other clients' updates. */
    private static GlobalModel global(Case c) {
        GlobalModel cold = Adapters.fresh(c.strategy(), coldGlobal());
        if (!c.warm()) return cold;
        return c.strategy().finish(foldAll(c.strategy(), cold, updates(c.strategy(), cold, 1234)), cold, 1);
    }

    private static List<ClientUpdate> updates(Strategy strategy, GlobalModel global) {
        return updates(strategy, global, 99);
    }

    /**
     * Six clients trained from the download: policy ranks 1..3 (capped by the strategy) unless the
     * strategy needs equal ranks; a factor the download freezes comes back unchanged. The
     * clients of a strategy that keeps client state start from, and upload with, a state of their
     * own ({@link #kept}).
     */
    private static List<ClientUpdate> updates(Strategy strategy, GlobalModel global, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        var download = strategy.download(global, 4);
        List<ClientUpdate> updates = new ArrayList<>();
        for (int k = 0; k < CLIENTS; k++) {
            int rank = strategy.requiresEqualRanks() ? MAX_RANK : strategy.rankFor(k, 1 + k % MAX_RANK, global);
            ClientMemory memory = (ClientMemory) strategy.clientMemory().orElse(null);
            Optional<ClientState> previous = memory == null ? Optional.empty() : Optional.of(kept(memory, download, rank, rng));
            Adapter start = memory == null ? download.startFor(rank) : memory.start(download, rank, previous);
            Adapter trained = trainedFrom(download.training(), start, rng);
            Upload upload = memory == null ? strategy.upload(download, start, trained)
                    : memory.upload(download, start, trained, previous).upload();
            updates.add(new ClientUpdate(k, rank, 1 + rng.nextInt(50), upload.payload()));
        }
        return updates;
    }

    private static Adapter trainedFrom(TrainingSpec spec, Adapter start, SplittableRandom rng) {
        float[] values = start.flatten();
        for (int i = 0; i < values.length; i++) values[i] += (float) (0.1 * Adapter.gaussian(rng));
        Adapter trained = Adapter.unflatten(SHAPE, start.rank, values);
        for (int l = 0; l < trained.targets(); l++) {
            if (!spec.trainsA()) System.arraycopy(start.a(l), 0, trained.a(l), 0, start.a(l).length);
            if (!spec.trainsB()) System.arraycopy(start.b(l), 0, trained.b(l), 0, start.b(l).length);
        }
        return trained;
    }

    /** The state a client keeps after a first participation from {@code download}, as it is stored. */
    @SuppressWarnings("unchecked")
    private static ClientState kept(ClientMemory memory, Download download, int rank, SplittableRandom rng) {
        Adapter start = memory.start(download, rank, Optional.empty());
        ClientState state = memory.upload(download, start, trainedFrom(download.training(), start, rng), Optional.empty()).next();
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(state.encodedSize());
        state.encode(bytes);
        return ClientState.decode(bytes.array(), 0, bytes.capacity());
    }

    private static Accumulator foldAll(Strategy strategy, GlobalModel global, List<ClientUpdate> updates) {
        var acc = strategy.zero(global.adapter().layout, global.adapter().rank);
        for (ClientUpdate u : updates) acc.add(u);
        return acc;
    }

    private static float[] finished(Strategy strategy, GlobalModel global, Accumulator acc) {
        assertEquals(CLIENTS, acc.count(), "updates folded");
        return nextRoundInputs(strategy, strategy.finish(acc, global, 1));
    }

    /** Everything the next round depends on, concatenated. */
    private static float[] nextRoundInputs(Strategy strategy, GlobalModel next) {
        List<float[]> parts = new ArrayList<>();
        parts.add(next.adapter().flatten());
        BaseMlp frozen = Adapters.frozenBase(strategy, BASE, next);
        for (int l = 0; l < frozen.layers(); l++) parts.add(frozen.weight(l));
        float[] ranks = new float[CLIENTS];
        for (int k = 0; k < CLIENTS; k++) ranks[k] = strategy.rankFor(k, MAX_RANK, next);
        parts.add(ranks);
        var download = strategy.download(next, 5);
        parts.add(download.startFor(MAX_RANK).flatten());
        parts.add(new float[] {download.bytesFor(MAX_RANK)});
        int length = parts.stream().mapToInt(p -> p.length).sum();
        float[] all = new float[length];
        int offset = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, all, offset, p.length);
            offset += p.length;
        }
        return all;
    }

    private static float[] inOrder(Strategy strategy, GlobalModel global, List<ClientUpdate> updates) {
        return finished(strategy, global, foldAll(strategy, global, updates));
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void shuffledOrderGivesTheInOrderResult(Case c) {
        GlobalModel global = global(c);
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
        GlobalModel global = global(c);
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
            var intoZero = c.strategy().zero(global.adapter().layout, global.adapter().rank);
            for (Accumulator g : groups(c.strategy(), global, updates, grouping)) intoZero.merge(g);
            assertArrayEquals(expected, finished(c.strategy(), global, intoZero), TOLERANCE, label + " merged into zero");
        }
    }

    private static List<Accumulator> groups(Strategy s, GlobalModel global, List<ClientUpdate> updates, int[][] grouping) {
        List<Accumulator> partials = new ArrayList<>();
        for (int[] group : grouping) {
            var acc = s.zero(global.adapter().layout, global.adapter().rank);
            for (int k : group) acc.add(updates.get(k));
            assertEquals(group.length, acc.count());
            partials.add(acc);
        }
        return partials;
    }

    private static Accumulator mergeLeft(List<Accumulator> partials) {
        var acc = partials.get(0);
        for (int i = 1; i < partials.size(); i++) acc.merge(partials.get(i));
        return acc;
    }

    private static Accumulator mergeRight(List<Accumulator> partials) {
        var acc = partials.get(partials.size() - 1);
        for (int i = partials.size() - 2; i >= 0; i--) acc.merge(partials.get(i));
        return acc;
    }

    private static Accumulator mergeTree(List<Accumulator> partials, int from, int to) {
        if (to - from == 1) return partials.get(from);
        int mid = (from + to) / 2;
        var right = mergeTree(partials, mid, to);
        right.merge(mergeTree(partials, from, mid));
        return right;
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void accumulatorsSurviveSerialization(Case c) throws Exception {
        GlobalModel global = global(c);
        List<ClientUpdate> updates = updates(c.strategy(), global);
        int[][] grouping = {{0, 3}, {1, 4, 5}, {2}};
        var direct = mergeLeft(groups(c.strategy(), global, updates, grouping));

        List<Accumulator> shipped = new ArrayList<>();
        for (Accumulator partial : groups(c.strategy(), global, updates, grouping)) {
            var copy = roundTrip(partial);
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
        GlobalModel global = global(c);
        int rank = c.strategy().requiresEqualRanks() ? MAX_RANK : c.strategy().rankFor(1, 2, global);
        var download = c.strategy().download(global, 0);
        var copy = roundTrip(download);

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
