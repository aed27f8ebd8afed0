package dev.fedlora.strategy.ffa;

import static dev.fedlora.Bitwise.assertSameBits;
import static dev.fedlora.strategy.Adapters.f;
import static dev.fedlora.strategy.Adapters.fold;
import static dev.fedlora.strategy.Adapters.someGlobal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.Bitwise;
import dev.fedlora.SyntheticData;
import dev.fedlora.client.LocalTrainer;
import dev.fedlora.client.TrainResult;
import dev.fedlora.config.TrainConfig;
import dev.fedlora.data.LabeledImages;
import dev.fedlora.model.BaseMlp;
import dev.fedlora.model.Adapter;
import dev.fedlora.model.AdapterLayout;
import dev.fedlora.strategy.Adapters;
import dev.fedlora.strategy.ClientUpdate;
import dev.fedlora.strategy.Factor;
import dev.fedlora.strategy.OneFactor;
import dev.fedlora.strategy.GlobalModel;
import dev.fedlora.strategy.LowRank;
import dev.fedlora.strategy.Strategy;
import dev.fedlora.strategy.Upload;
import dev.fedlora.strategy.registry.Strategies;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ffa_lora from the global {@code A = [0.1 0.2 0.3; 7 8 9]}: a rank-1 client (n = 1) trains
 * {@code B = [2; 4]}, head 1s; a rank-2 client (n = 3) trains {@code B = [4 8; 0 -4]}, head 5s.
 * One test runs real local training instead: every {@code A} must come back with the same bits.
 */
class FfaLoraTest {
    private final Strategy strategy = new FfaLora();

    private Adapter trained(int rank, float[] b, float headValue) {
        Adapter p = strategy.download(someGlobal(), 1).startFor(rank);
        System.arraycopy(b, 0, p.b(0), 0, b.length);
        Arrays.fill(p.dense("head.weight"), headValue);
        Arrays.fill(p.dense("head.bias"), headValue);
        return p;
    }

    private ClientUpdate sent(int clientId, long numExamples, Adapter trained) {
        var download = strategy.download(someGlobal(), 1);
        Upload upload = strategy.upload(download, download.startFor(trained.rank), trained);
        return Adapters.update(clientId, numExamples, trained.rank, upload.payload());
    }

    private GlobalModel afterOneRound() {
        return fold(strategy, someGlobal(), List.of(
                sent(0, 1, trained(1, f(2, 4), 1)), sent(1, 3, trained(2, f(4, 8, 0, -4), 5))));
    }

    @Test
    void clientsTrainBOnly() {
        assertFalse(Adapters.trainsA(strategy));
    }

    @Test
    void aRealRoundOfLocalTrainingLeavesEveryABitForBitAndMovesB() {
        // two clients (ranks 2 and 4) train two epochs with momentum from the ffa_lora download of a
        // fresh global adapter (B = 0) on a 20-12-8 base, and the server folds their uploads
        SplittableRandom rng = new SplittableRandom(21);
        int[] sizes = {20, 12, 8, 10};
        AdapterLayout shape = dev.fedlora.model.MlpModel.layoutOf(sizes);
        BaseMlp base = SyntheticData.base(sizes, rng);
        LabeledImages data = SyntheticData.images(100, 20, rng);
        GlobalModel global = Adapters.global(Adapter.init(shape, 4, rng));
        LocalTrainer trainer = new LocalTrainer(dev.fedlora.model.MlpModel.of(base, shape), 2f, new TrainConfig(2, 8, 0.1, 0.9));
        var download = strategy.download(global, 1);
        int[] ranks = {2, 4};
        int[][] shards = {SyntheticData.range(0, 30), SyntheticData.range(30, 100)};
        var acc = strategy.zero(global.adapter().layout, global.adapter().rank);
        for (int k = 0; k < 2; k++) {
            Adapter start = download.startFor(ranks[k]);
            TrainResult result = trainer.train(start, data, shards[k], Adapters.trainsA(strategy), new SplittableRandom(k));
            Adapter trained = result.params();
            assertEquals(2 * (k == 0 ? 4 : 9), result.steps(), "two epochs of ceil(n / 8) steps");
            for (int l = 0; l < shape.targets().size(); l++) {
                float[] globalRows = Arrays.copyOf(global.adapter().a(l), ranks[k] * shape.targets().get(l).in());
                assertSameBits(globalRows, start.a(l), "client " + k + " receives A_" + l);
                assertSameBits(globalRows, trained.a(l), "client " + k + " trained A_" + l);
                assertTrue(norm(trained.b(l)) > 1e-4, "client " + k + " moved B_" + l + " from 0: " + norm(trained.b(l)));
            }
            assertTrue(Bitwise.differ(start.dense("head.weight"), trained.dense("head.weight")), "client " + k + " trained the head");
            acc.add(Adapters.update(k, shards[k].length, ranks[k], strategy.upload(download, start, trained).payload()));
        }
        GlobalModel next = strategy.finish(acc, global, 1);
        for (int l = 0; l < shape.targets().size(); l++) {
            assertSameBits(global.adapter().a(l), next.adapter().a(l), "global A_" + l + " after the round");
            assertTrue(norm(next.adapter().b(l)) > 1e-4, "global B_" + l + " moved from 0");
        }
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) s += (double) x * x;
        return Math.sqrt(s);
    }

    @Test
    void aNeverChanges() {
        GlobalModel next = afterOneRound();
        GlobalModel after = fold(strategy, next, List.of(sent(2, 1, trained(2, f(1, 1, 1, 1), 0))));

        assertArrayEquals(someGlobal().adapter().a(0), next.adapter().a(0));
        assertArrayEquals(someGlobal().adapter().a(0), after.adapter().a(0));
    }

    @Test
    void bIsTheZeroPaddedWeightedMeanAndTheHeadTheDenseOne() {
        GlobalModel next = afterOneRound();

        // column 0 = 1/4 [2 4] + 3/4 [4 0]; column 1 = 3/4 [8 -4] (the rank-1 client pads with 0)
        assertArrayEquals(f(3.5, 6, 1, -3), next.adapter().b(0));
        assertArrayEquals(f(4, 4, 4, 4), next.adapter().dense("head.weight"));
        assertArrayEquals(f(4, 4), next.adapter().dense("head.bias"));
    }

    @Test
    void globalProductIsTheWeightedMeanOfTheClientsProducts() {
        float[] a = someGlobal().adapter().a(0);
        double[] expected = new double[6];
        LowRank.addProduct(expected, f(2, 4), a, 2, 1, 3, 0.25);
        LowRank.addProduct(expected, f(4, 8, 0, -4), a, 2, 2, 3, 0.75);
        double[] actual = new double[6];
        LowRank.addProduct(actual, afterOneRound().adapter().b(0), a, 2, 2, 3, 1);

        assertArrayEquals(expected, actual, 1e-5);
    }

    @Test
    void onlyBAndTheHeadCrossTheWire() {
        var download = strategy.download(someGlobal(), 1);
        Adapter rank1 = trained(1, f(2, 4), 1);

        Upload upload = strategy.upload(download, download.startFor(1), rank1);

        OneFactor sent = assertInstanceOf(OneFactor.class, upload.payload());
        assertEquals(Factor.B, sent.factor());
        assertEquals(1, sent.rank());
        assertArrayEquals(f(2, 4), sent.factors()[0]);
        assertArrayEquals(f(1, 1, 1, 1), sent.dense()[0]);
        // B: 1 * 2 values, head: 2 * 2 + 2 values
        assertEquals(4 * (2 + 6), upload.bytes());
        assertEquals(4 * (2 + 6), download.bytesFor(1));
        assertEquals(4 * (4 + 6), download.bytesFor(2));
        assertEquals(4 * (4 + 6), strategy.upload(download, download.startFor(2), trained(2, f(4, 8, 0, -4), 5)).bytes());
    }

    @Test
    void isRegistered() {
        assertInstanceOf(FfaLora.class, Strategies.create(Adapters.config("strategy.name = ffa_lora")));
    }

    @Test
    void noUpdatesReturnThePreviousModel() {
        GlobalModel previous = someGlobal();

        assertSame(previous, strategy.finish(strategy.zero(previous.adapter().layout, previous.adapter().rank), previous, 1));
    }
}
