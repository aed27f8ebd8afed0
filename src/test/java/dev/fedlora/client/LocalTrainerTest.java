package dev.fedlora.client;

import static dev.fedlora.Bitwise.assertSameBits;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.Bitwise;
import dev.fedlora.SyntheticData;
import dev.fedlora.config.TrainConfig;
import dev.fedlora.data.LabeledImages;
import dev.fedlora.model.BaseMlp;
import dev.fedlora.model.LoraNetwork;
import dev.fedlora.model.Adapter;
import dev.fedlora.model.AdapterLayout;
import dev.fedlora.model.ReferenceLoraMlp;
import dev.fedlora.random.Shuffle;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Local training of one client on a 30-10-8 base with synthetic data: E epochs of
 * {@code ceil(n / batch)} steps (the last batch partial), every example seen once an epoch, and
 * the seed alone deciding the shuffles.
 */
class LocalTrainerTest {
    private static final int[] SIZES = {30, 10, 8, 10};
    private static final AdapterLayout SHAPE = dev.fedlora.model.MlpModel.layoutOf(SIZES);
    private static final float SCALE = 2f;

    private final SplittableRandom rng = new SplittableRandom(17);
    private final BaseMlp base = SyntheticData.base(SIZES, rng);
    private final LabeledImages data = SyntheticData.images(200, 30, rng);
    private final Adapter start = withRandomB(Adapter.init(SHAPE, 3, rng), rng);
    /** 70 of the 200 examples, not contiguous: 5, 7, 9, ..., 143. */
    private final int[] shard = new int[70];

    {
        for (int i = 0; i < shard.length; i++) shard[i] = 5 + 2 * i;
    }

    private static Adapter withRandomB(Adapter p, SplittableRandom rng) {
        for (int t = 0; t < p.targets(); t++) for (float[] b : new float[][] {p.b(t)}) System.arraycopy(SyntheticData.gaussian(b.length, 0.3, rng), 0, b, 0, b.length);
        return p;
    }

    private TrainResult train(TrainConfig config, int[] examples, long seed) {
        return new LocalTrainer(dev.fedlora.model.MlpModel.of(base, SHAPE), SCALE, config).train(start, data, examples, true, new SplittableRandom(seed));
    }

    @Test
    void epochsOfFullBatchesAndAPartialLastOne() {
        // 70 examples in batches of 32: 32 + 32 + 6, three steps an epoch
        assertEquals(3, train(new TrainConfig(1, 32, 0.05, 0), shard, 1).steps());
        assertEquals(9, train(new TrainConfig(3, 32, 0.05, 0), shard, 1).steps());
        assertEquals(2 * 7, train(new TrainConfig(2, 10, 0.05, 0.9), shard, 1).steps(), "70 / 10 = 7 exact batches");
        assertEquals(4 * 70, train(new TrainConfig(4, 1, 0.05, 0), shard, 1).steps(), "batch size 1");
        assertEquals(2, train(new TrainConfig(2, 32, 0.05, 0), new int[] {3}, 1).steps(), "one example, one step an epoch");
    }

    @Test
    void withZeroLearningRateTheMeanLossIsTheShardsLossAndNothingMoves() {
        // lr = 0 keeps the start adapter, so the mean loss over all steps is the plain mean loss of the
        // shard if and only if every example (the 6 of the partial batch too) counts once an epoch
        double[][] rows = new double[shard.length][30];
        float[] features = data.featureRows(shard, 0, shard.length);
        int[] labels = new int[shard.length];
        for (int i = 0; i < shard.length; i++) {
            for (int j = 0; j < 30; j++) rows[i][j] = features[i * 30 + j];
            labels[i] = data.label(shard[i]);
        }
        double expected = ReferenceLoraMlp.loss(base, start, SCALE, rows, labels);

        TrainResult result = train(new TrainConfig(3, 32, 0.0, 0.9), shard, 4);

        assertEquals(expected, result.meanLoss(), 1e-5);
        assertSameBits(start.flatten(), result.params().flatten(), "adapter after lr = 0");
        TrainResult trained = train(new TrainConfig(3, 32, 0.05, 0), shard, 4);
        assertTrue(trained.meanLoss() < expected, "training lowers the loss: " + trained.meanLoss() + " vs " + expected);
    }

    @Test
    void anEmptyShardTrainsNothing() {
        TrainResult result = train(new TrainConfig(2, 32, 0.05, 0), new int[0], 1);

        assertEquals(0, result.steps());
        assertTrue(Double.isNaN(result.meanLoss()));
        assertSameBits(start.flatten(), result.params().flatten(), "adapter");
    }

    @Test
    void theSameSeedGivesTheSameUpdateBitForBit() {
        TrainConfig config = new TrainConfig(2, 16, 0.05, 0.9);
        int[] before = shard.clone();

        TrainResult first = train(config, shard, 42);
        TrainResult again = train(config, shard, 42);

        assertSameBits(first.params().flatten(), again.params().flatten(), "adapter");
        assertEquals(Double.doubleToRawLongBits(first.meanLoss()), Double.doubleToRawLongBits(again.meanLoss()));
        assertArrayEquals(before, shard, "the shard is not reordered in place");
    }

    @Test
    void eachEpochTrainsOnTheNextShuffleOfTheSeedsStream() {
        // the reference: epoch e visits the shard in the order of the (e+1)-th Fisher–Yates shuffle
        // drawn from the client's rng (applied to the previous epoch's order), in batches of 16
        TrainConfig config = new TrainConfig(2, 16, 0.05, 0.9);
        TrainResult seed42 = train(config, shard, 42);
        TrainResult seed43 = train(config, shard, 43);

        assertSameBits(replay(config, 42), seed42.params().flatten(), "seed 42");
        assertSameBits(replay(config, 43), seed43.params().flatten(), "seed 43");
        assertTrue(Bitwise.differ(seed42.params().flatten(), seed43.params().flatten()), "another seed, other shuffles");
        int[] order42 = shard.clone();
        int[] order43 = shard.clone();
        Shuffle.inPlace(order42, new SplittableRandom(42));
        Shuffle.inPlace(order43, new SplittableRandom(43));
        assertFalse(Arrays.equals(order42, order43), "the two seeds shuffle differently");
    }

    /** Plain minibatch SGD over the seeded shuffles, on the uncached first-layer path. */
    private float[] replay(TrainConfig config, long seed) {
        SplittableRandom shuffles = new SplittableRandom(seed);
        LoraNetwork net = dev.fedlora.model.MlpModel.of(base, SHAPE).network(start.rank, SCALE);
        net.load(start);
        int[] order = shard.clone();
        for (int e = 0; e < config.epochs(); e++) {
            Shuffle.inPlace(order, shuffles);
            for (int from = 0; from < order.length; from += config.batchSize()) {
                int n = Math.min(config.batchSize(), order.length - from);
                net.loadBatch(data, null, order, from, n);
                net.forwardBackward(n);
                net.sgdStep(config.learningRate(), config.momentum(), true);
            }
        }
        return net.store().flatten();
    }
}
