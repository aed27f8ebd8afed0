package dev.fedlora.checkpoint;

import dev.fedlora.data.ClientShards;
import dev.fedlora.metrics.MetricsRow;
import dev.fedlora.model.Adapter;
import dev.fedlora.model.AdapterLayout;
import dev.fedlora.ranks.policies.BandwidthRanks;
import dev.fedlora.ranks.policies.DataQualityRanks;
import dev.fedlora.ranks.policies.FixedRanks;
import dev.fedlora.ranks.policies.QualityRanks;
import dev.fedlora.ranks.policies.RankTiers;
import dev.fedlora.strategy.Accumulator;
import dev.fedlora.strategy.ClientUpdate;
import dev.fedlora.strategy.GlobalModel;
import dev.fedlora.strategy.NoState;
import dev.fedlora.strategy.Strategy;
import dev.fedlora.strategy.flasc.FlascState;
import dev.fedlora.strategy.flasc.ServerAdam;
import dev.fedlora.strategy.flora.Flora;
import dev.fedlora.strategy.flora.FloraState;
import dev.fedlora.strategy.hetlora.PrunedRanks;
import java.io.Serializable;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * One checkpoint of round 1 for every server state and rank policy a checkpoint can hold, built
 * deterministically. The files under {@code src/test/resources/checkpoints/format-3/} are these,
 * written by the build before the strategies, rank policies and checkpoint classes moved packages.
 */
public final class CheckpointFixtures {
    /** The config hash the fixture files were written under. */
    public static final String HASH = "format-3-fixture";

    private static final AdapterLayout TINY = dev.fedlora.model.MlpModel.layoutOf(3, 2, 2);
    private static final AdapterLayout MNIST = dev.fedlora.model.MlpModel.layoutOf(784, 64, 64, 10);

    private CheckpointFixtures() {}

    /** Each fixture by the name of its folder. */
    public static Map<String, Checkpoint> all() {
        int[] labels = new int[600];
        for (int i = 0; i < labels.length; i++) labels[i] = i % 10;
        ClientShards shards = ClientShards.create(labels, 10, 30, 0.5, 0.2, 0, 9);
        Adapter global = trained(2, 1);

        Map<String, Checkpoint> all = new LinkedHashMap<>();
        all.put("flasc-adam-fixed", checkpoint(new GlobalModel<>(global,
                new FlascState(bits(0, 2, 5), new ServerAdam.Moments(new double[] {0.1, 0.2}, new double[] {0.3, 0.4}, 3))),
                new FixedRanks(2).create(null, 9, TINY)));
        all.put("hetlora-tiers", checkpoint(new GlobalModel<>(global, new PrunedRanks(new int[] {1, 4}, new int[] {1, 2})),
                new RankTiers(List.of(new RankTiers.Tier(1, 0.5), new RankTiers.Tier(2, 0.5))).create(null, 9, TINY)));
        all.put("flora-quality", checkpoint(flora(global), new QualityRanks(1, 2).create(shards, 9, TINY)));
        all.put("nostate-bandwidth", checkpoint(new GlobalModel<>(global, NoState.NONE),
                new BandwidthRanks(16_000, 64_000, 16).create(null, 9, MNIST)));
        all.put("nostate-data-quality", checkpoint(new GlobalModel<>(global, NoState.NONE),
                new DataQualityRanks(2, 8, 0.2, 1, 0.3).create(shards, 9, MNIST)
                        .afterRound(1, null, adapter -> IntStream.range(0, 30).mapToDouble(c -> c % 7).toArray())));
        return all;
    }

    /** FLoRA's model after one round of two clients: a merged base and a stacked module. */
    private static GlobalModel<FloraState> flora(Adapter global) {
        return foldTwo(new Flora(2f, 7), global);
    }

    private static <A extends Accumulator<Adapter, A>, S extends Serializable> GlobalModel<S> foldTwo(
            Strategy<?, Adapter, A, S> strategy, Adapter global) {
        A sum = strategy.zero(TINY, 2);
        sum.add(new ClientUpdate<>(3, 1, 40, trained(1, 3)));
        sum.add(new ClientUpdate<>(5, 2, 60, trained(2, 5)));
        return strategy.finish(sum, new GlobalModel<>(global, strategy.initialState()), 1);
    }

    /** A seeded adapter with {@code B} nonzero, as after local training. */
    private static Adapter trained(int rank, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Adapter p = Adapter.init(TINY, rank, rng);
        for (int t = 0; t < p.targets(); t++) {
            float[] b = p.b(t);
            for (int i = 0; i < b.length; i++) b[i] = (float) rng.nextDouble(-1, 1);
        }
        return p;
    }

    private static BitSet bits(int... set) {
        BitSet b = new BitSet();
        for (int i : set) b.set(i);
        return b;
    }

    private static Checkpoint checkpoint(GlobalModel<?> global, dev.fedlora.ranks.RankPolicy ranks) {
        MetricsRow row = new MetricsRow("fixture", "any", 1, 0.5, 1.0, 1.1, 3, 0, 0, 0, 10, 100, 100, 100, 100, 0.1, 0.05);
        return new Checkpoint(1, global, ranks, List.of(row));
    }
}
