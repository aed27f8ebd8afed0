package dev.fedlora.strategy.rolora;

import dev.fedlora.strategy.OneFactor;
import dev.fedlora.strategy.Factor;
import static dev.fedlora.Bitwise.assertSameBits;
import static dev.fedlora.strategy.Adapters.f;
import static dev.fedlora.strategy.Adapters.high;
import static dev.fedlora.strategy.Adapters.high2;
import static dev.fedlora.strategy.Adapters.someGlobal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.Bitwise;
import dev.fedlora.SyntheticData;
import dev.fedlora.client.LocalTrainer;
import dev.fedlora.client.TrainResult;
import dev.fedlora.client.TrainingSpec;
import dev.fedlora.config.TrainConfig;
import dev.fedlora.data.LabeledImages;
import dev.fedlora.model.Adapter;
import dev.fedlora.model.AdapterLayout;
import dev.fedlora.model.BaseDelta;
import dev.fedlora.model.BaseMlp;
import dev.fedlora.model.MlpModel;
import dev.fedlora.strategy.Adapters;
import dev.fedlora.strategy.ClientUpdate;
import dev.fedlora.strategy.GlobalModel;
import dev.fedlora.strategy.NoState;
import dev.fedlora.strategy.Upload;
import dev.fedlora.strategy.registry.Strategies;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * rolora from the global {@code A = [0.1 0.2 0.3; 7 8 9]}, {@code B = [0.4 6; 0.5 5]} on the tiny
 * model, clients high (id 0, n = 1) and high2 (id 1, n = 3), so w = 1/4, 3/4: in an odd round the
 * server takes {@code B = 1/4 [70 80; 90 100] + 3/4 [6 -8; 10 4] = [22 14; 30 28]}, in an even one
 * {@code A = 1/4 [10 20 30; 40 50 60] + 3/4 [2 4 6; 0 -10 20] = [4 8 12; 10 5 30]}; the head is
 * {@code 1/4 [5 6 7 8] + 3/4 [1 1 1 1]} and {@code 1/4 [3 1]} either way.
 */
class RoLoraTest {
    private final RoLora strategy = new RoLora();

    /** The global model after one round (the given one) of high and high2's uploads. */
    private GlobalModel<NoState> afterRound(int round) {
        var download = strategy.download(someGlobal(), round);
        var acc = strategy.zero(Adapters.TINY, 2);
        acc.add(sent(download, 1, 3, high2()));
        acc.add(sent(download, 0, 1, high()));
        return strategy.finish(acc, someGlobal(), round);
    }

    private ClientUpdate<OneFactor> sent(AlternatingDownload download, int clientId, long n, Adapter trained) {
        Upload<OneFactor> upload = strategy.upload(download, download.startFor(trained.rank), trained);
        return Adapters.update(clientId, n, trained.rank, upload.payload());
    }

    @Test
    void oddRoundsTrainBAndEvenRoundsA() {
        for (int round = 1; round <= 4; round++) {
            TrainingSpec spec = strategy.download(someGlobal(), round).training();
            boolean odd = round % 2 == 1;
            assertEquals(!odd, spec.trainsA(), "round " + round + " trains A");
            assertEquals(odd, spec.trainsB(), "round " + round + " trains B");
            assertSame(BaseDelta.NONE, spec.baseDelta(), "the original base");
        }
        assertTrue(strategy.requiresEqualRanks());
    }

    @Test
    void anOddRoundAveragesBAndKeepsA() {
        Adapter next = afterRound(1).adapter();

        assertArrayEquals(f(22, 14, 30, 28), next.b(0));
        assertSameBits(someGlobal().adapter().a(0), next.a(0), "A, although the clients' A differ");
        assertArrayEquals(f(2, 2.25, 2.5, 2.75), next.dense("head.weight"));
        assertArrayEquals(f(0.75, 0.25), next.dense("head.bias"));
    }

    @Test
    void anEvenRoundAveragesAAndKeepsB() {
        Adapter next = afterRound(2).adapter();

        assertArrayEquals(f(4, 8, 12, 10, 5, 30), next.a(0));
        assertSameBits(someGlobal().adapter().b(0), next.b(0), "B, although the clients' B differ");
        assertArrayEquals(f(2, 2.25, 2.5, 2.75), next.dense("head.weight"));
        assertArrayEquals(f(0.75, 0.25), next.dense("head.bias"));
    }

    @Test
    void eachRoundsProductIsTheExactWeightedMeanOfTheClientsProducts() {
        float[] a = someGlobal().adapter().a(0);
        float[] b = someGlobal().adapter().b(0);
        // odd: sum_k w_k B_k A with the frozen global A
        double[] odd = new double[6];
        add(odd, high().b(0), a, 0.25);
        add(odd, high2().b(0), a, 0.75);
        // even: sum_k w_k B A_k with the frozen global B
        double[] even = new double[6];
        add(even, b, high().a(0), 0.25);
        add(even, b, high2().a(0), 0.75);

        assertArrayEquals(odd, product(afterRound(1).adapter()), 1e-4);
        assertArrayEquals(even, product(afterRound(2).adapter()), 1e-5);
    }

    /** {@code acc += w B A} for the tiny model's 2 x 2 {@code B} and 2 x 3 {@code A}, by hand. */
    private static void add(double[] acc, float[] b, float[] a, double w) {
        for (int i = 0; i < 2; i++) {
            for (int c = 0; c < 3; c++) {
                for (int j = 0; j < 2; j++) acc[i * 3 + c] += w * b[i * 2 + j] * a[j * 3 + c];
            }
        }
    }

    private static double[] product(Adapter p) {
        double[] m = new double[6];
        add(m, p.b(0), p.a(0), 1);
        return m;
    }

    @Test
    void onlyTheTrainedFactorAndTheHeadCrossTheWireUpAndTheWholeAdapterDown() {
        var odd = strategy.download(someGlobal(), 1);
        var even = strategy.download(someGlobal(), 2);

        Upload<OneFactor> b = strategy.upload(odd, odd.startFor(2), high());
        Upload<OneFactor> a = strategy.upload(even, even.startFor(2), high());

        assertEquals(Factor.B, b.payload().factor());
        assertArrayEquals(high().b(0), b.payload().factors()[0]);
        assertEquals(Factor.A, a.payload().factor());
        assertArrayEquals(high().a(0), a.payload().factors()[0]);
        // B: 2 x 2 values, A: 2 x 3 values, head: 2 x 2 + 2 values
        assertEquals(4 * (4 + 6), b.bytes());
        assertEquals(4 * (6 + 6), a.bytes());
        // the adapter: 2 * (3 + 2) factor values and the head
        assertEquals(4 * (10 + 6), odd.bytesFor(2));
        assertEquals(4 * (10 + 6), even.bytesFor(2));
        assertEquals(List.of("fc1.lora_B", "head.weight", "head.bias"), List.copyOf(b.payload().tensors().keySet()));
        assertEquals(List.of("fc1.lora_A", "head.weight", "head.bias"), List.copyOf(a.payload().tensors().keySet()));
    }

    @Test
    void aRealRoundOfEachKindLeavesTheFrozenFactorBitForBitAndMovesTheOther() {
        // two rank-4 clients train two epochs with momentum on a 20-12-8 base: round 1 from a fresh
        // global adapter (B = 0), round 2 from what round 1 left
        SplittableRandom rng = new SplittableRandom(21);
        int[] sizes = {20, 12, 8, 10};
        AdapterLayout shape = MlpModel.layoutOf(sizes);
        BaseMlp base = SyntheticData.base(sizes, rng);
        LabeledImages data = SyntheticData.images(100, 20, rng);
        GlobalModel<NoState> global = Adapters.global(Adapter.init(shape, 4, rng));
        LocalTrainer trainer = new LocalTrainer(MlpModel.of(base, shape), 2f, new TrainConfig(2, 8, 0.1, 0.9));
        int[][] shards = {SyntheticData.range(0, 30), SyntheticData.range(30, 100)};
        for (int round = 1; round <= 2; round++) {
            boolean odd = round == 1;
            var download = strategy.download(global, round);
            var acc = strategy.zero(shape, 4);
            for (int k = 0; k < 2; k++) {
                Adapter start = download.startFor(4);
                TrainResult result = trainer.train(start, data, shards[k], download.training(), new SplittableRandom(k));
                Adapter trained = result.params();
                for (int l = 0; l < shape.targets().size(); l++) {
                    String what = "round " + round + ", client " + k + ", target " + l;
                    float[] frozen = odd ? trained.a(l) : trained.b(l);
                    float[] moved = odd ? trained.b(l) : trained.a(l);
                    assertSameBits(odd ? global.adapter().a(l) : global.adapter().b(l), frozen, what + ": the frozen factor");
                    assertTrue(Bitwise.differ(odd ? start.b(l) : start.a(l), moved), what + ": the trained factor moved");
                }
                assertTrue(Bitwise.differ(start.dense("head.weight"), trained.dense("head.weight")), "the head is trained");
                acc.add(Adapters.update(k, shards[k].length, 4, strategy.upload(download, start, trained).payload()));
            }
            GlobalModel<NoState> next = strategy.finish(acc, global, round);
            for (int l = 0; l < shape.targets().size(); l++) {
                assertSameBits(odd ? global.adapter().a(l) : global.adapter().b(l),
                        odd ? next.adapter().a(l) : next.adapter().b(l), "round " + round + ": the global frozen factor");
                assertTrue(Bitwise.differ(odd ? global.adapter().b(l) : global.adapter().a(l),
                        odd ? next.adapter().b(l) : next.adapter().a(l)), "round " + round + ": the global trained factor");
            }
            global = next;
        }
    }

    @Test
    void uploadsOfAnotherRankOrFactorAreRefused() {
        var acc = strategy.zero(Adapters.TINY, 2);
        var odd = strategy.download(someGlobal(), 1);
        var even = strategy.download(someGlobal(), 2);
        acc.add(sent(odd, 0, 1, high()));

        String factor = assertThrows(IllegalArgumentException.class, () -> acc.add(sent(even, 1, 1, high2()))).getMessage();
        assertTrue(factor.contains("client 1 sent A") && factor.contains("uploads are B"), factor);
        Adapter rank1 = Adapters.low();
        String rank = assertThrows(IllegalArgumentException.class, () -> acc.add(sent(odd, 2, 1, rank1))).getMessage();
        assertTrue(rank.contains("client 2 sent rank 1") && rank.contains("global rank 2"), rank);
        var other = strategy.zero(Adapters.TINY, 2);
        other.add(sent(even, 3, 1, high2()));
        assertThrows(IllegalArgumentException.class, () -> acc.merge(other));
    }

    @Test
    void isRegistered() {
        assertInstanceOf(RoLora.class, Strategies.create(Adapters.config("strategy.name = rolora")));
        assertFalse(Adapters.trainsA(strategy), "round 1 trains B");
    }

    @Test
    void noUpdatesReturnThePreviousModel() {
        GlobalModel<NoState> previous = someGlobal();

        assertSame(previous, strategy.finish(strategy.zero(previous.adapter().layout, previous.adapter().rank), previous, 1));
    }
}
