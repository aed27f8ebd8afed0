package dev.fedlora.strategy.hetlora;

import static dev.fedlora.strategy.Adapters.assertAdapter;
import static dev.fedlora.strategy.Adapters.f;
import static dev.fedlora.strategy.Adapters.fold;
import static dev.fedlora.strategy.Adapters.params;
import static dev.fedlora.strategy.Adapters.someGlobal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.fedlora.model.Adapter;
import dev.fedlora.model.AdapterLayout;
import dev.fedlora.strategy.Adapters;
import dev.fedlora.strategy.ClientUpdate;
import dev.fedlora.strategy.GlobalModel;
import dev.fedlora.strategy.LowRank;
import dev.fedlora.strategy.Strategy;
import dev.fedlora.strategy.TruncatedDownload;
import dev.fedlora.strategy.Upload;
import dev.fedlora.strategy.registry.Strategies;
import java.util.List;
import org.junit.jupiter.api.Test;

/** hetlora: zero-padding weighted by ||B_k A_k||_F per layer, and rank self-pruning. */
class HetLoraTest {
    private final HetLora strategy = new HetLora(0);

    /** Rank 1: A = [1 2 2] (norm 3), B = [3; 4] (norm 5), so ||B A||_F = 15; head all 1. */
    private static Adapter normFifteen() {
        return params(1, f(1, 2, 2), f(3, 4), f(1, 1, 1, 1), f(1, 1));
    }

    /**
     * Rank 2: orthogonal rows A = [1 2 2; 2 1 -2] (A A^T = 9 I), B = [6 0; 0 8] (B^T B = diag(36, 64)),
     * so ||B A||_F^2 = trace(B^T B A A^T) = 9 * 100 and ||B A||_F = 30; head all 102.
     */
    private static Adapter normThirty() {
        return params(2, f(1, 2, 2, 2, 1, -2), f(6, 0, 0, 8), f(102, 102, 102, 102), f(102, 102));
    }

    private static ClientUpdate sent(Strategy strategy, int clientId, long numExamples, Adapter trained) {
        var download = strategy.download(someGlobal(), 1);
        Upload upload = strategy.upload(download, download.startFor(trained.rank), trained);
        return Adapters.update(clientId, numExamples, trained.rank, upload.payload());
    }

    @Test
    void productNormIsComputedWithoutTheProduct() {
        assertEquals(15, LowRank.productNorms(normFifteen())[0], 1e-12);
        assertEquals(30, LowRank.productNorms(normThirty())[0], 1e-12);
    }

    @Test
    void adaptersAreWeightedByTheirProductNormAndTheHeadByExamples() {
        // c = 15, 30 (total 45), whatever n_k; the head uses n = 100, 1
        GlobalModel next = fold(strategy, someGlobal(),
                List.of(sent(strategy, 0, 100, normFifteen()), sent(strategy, 1, 1, normThirty())));

        assertAdapter(
                // row 0: (15 [1 2 2] + 30 [1 2 2]) / 45; row 1: 30 [2 1 -2] / 45, zero-padded
                f(1, 2, 2, 4.0 / 3, 2.0 / 3, -4.0 / 3),
                // column 0: (15 [3 4] + 30 [6 0]) / 45 = [5 4/3]; column 1: 30 [0 8] / 45
                f(5, 0, 4.0 / 3, 16.0 / 3),
                // (100 * 1 + 1 * 102) / 101
                f(2, 2, 2, 2),
                f(2, 2),
                next.adapter());
        assertSame(PrunedRanks.NONE, next.serverState(), "nothing pruned, no state");
    }

    @Test
    void eachLayerIsWeightedByItsOwnProductNorm() {
        AdapterLayout twoLayers = dev.fedlora.model.MlpModel.layoutOf(2, 2, 2, 2);
        Adapter first = new Adapter(twoLayers, 1); // layer 0: norm 3, layer 1: norm 1
        System.arraycopy(f(1, 0), 0, first.a(0), 0, first.a(0).length);
        System.arraycopy(f(3, 0), 0, first.b(0), 0, first.b(0).length);
        System.arraycopy(f(0, 1), 0, first.a(1), 0, first.a(1).length);
        System.arraycopy(f(0, 1), 0, first.b(1), 0, first.b(1).length);
        Adapter second = new Adapter(twoLayers, 1); // layer 0: norm 1, layer 1: norm 3
        System.arraycopy(f(0, 1), 0, second.a(0), 0, second.a(0).length);
        System.arraycopy(f(0, 1), 0, second.b(0), 0, second.b(0).length);
        System.arraycopy(f(1, 0), 0, second.a(1), 0, second.a(1).length);
        System.arraycopy(f(3, 0), 0, second.b(1), 0, second.b(1).length);
        GlobalModel global = Adapters.global(new Adapter(twoLayers, 1));

        GlobalModel next = fold(strategy, global, List.of(
                Adapters.update(0, 1, 1, first), Adapters.update(1, 1, 1, second)));

        // layer 0: (3 first + 1 second) / 4; layer 1: (1 first + 3 second) / 4
        assertArrayEquals(f(0.75, 0.25), next.adapter().a(0));
        assertArrayEquals(f(2.25, 0.25), next.adapter().b(0));
        assertArrayEquals(f(0.75, 0.25), next.adapter().a(1));
        assertArrayEquals(f(2.25, 0.25), next.adapter().b(1));
    }

    @Test
    void layerWhoseUploadsAllHaveAZeroProductKeepsItsPreviousValue() {
        Adapter zeroB = params(2, f(1, 2, 3, 4, 5, 6), f(0, 0, 0, 0), f(3, 3, 3, 3), f(3, 3));
        GlobalModel previous = someGlobal();

        GlobalModel next = fold(strategy, previous, List.of(sent(strategy, 0, 5, zeroB)));

        assertArrayEquals(previous.adapter().a(0), next.adapter().a(0));
        assertArrayEquals(previous.adapter().b(0), next.adapter().b(0));
        assertArrayEquals(f(3, 3, 3, 3), next.adapter().dense("head.weight"));
    }

    /** Rank 2 with slot magnitudes ||B[:, j]|| ||A[j, :]|| = 5 * 3 = 15 and 0.1 * 1 = 0.1. */
    private static Adapter weakSecondSlot() {
        return params(2, f(1, 2, 2, 0, 0, 1), f(3, 0.1, 4, 0), f(1, 2, 3, 4), f(5, 6));
    }

    @Test
    void clientDropsATrailingSlotBelowTheThresholdAndPaysForWhatItSends() {
        // share of slot 1 = 0.1 / 15.1 = 0.0066
        TruncatedDownload download = strategy.download(Adapters.fresh(strategy, someGlobal()), 1);
        Adapter trained = weakSecondSlot();

        Upload pruned = new HetLora(0.05).upload(download, download.startFor(2), trained);
        Upload kept = new HetLora(0.006).upload(download, download.startFor(2), trained);

        Adapter sent = (Adapter) pruned.payload();
        assertEquals(1, sent.rank);
        assertArrayEquals(f(1, 2, 2), sent.a(0));
        assertArrayEquals(f(3, 4), sent.b(0));
        assertArrayEquals(f(1, 2, 3, 4), sent.dense("head.weight"));
        assertEquals(4 * (1 * 5 + 6), pruned.bytes());
        assertEquals(2, ((Adapter) kept.payload()).rank);
        assertEquals(4 * (2 * 5 + 6), kept.bytes());
    }

    @Test
    void pruningStopsAtTheFirstTrailingSlotAboveTheThresholdAndNeverGoesBelowRankOne() {
        Adapter weakFirstSlot = params(2, f(0, 0, 1, 1, 2, 2), f(0.1, 3, 0, 4), f(0, 0, 0, 0), f(0, 0));
        Adapter equalSlots = params(2, f(1, 2, 2, 2, 1, -2), f(6, 0, 0, 6), f(0, 0, 0, 0), f(0, 0));
        Adapter untrained = params(2, f(1, 2, 2, 2, 1, -2), f(0, 0, 0, 0), f(0, 0, 0, 0), f(0, 0));

        assertEquals(2, HetLora.prunedRank(weakFirstSlot, 0.05), "only trailing slots are dropped");
        assertEquals(1, HetLora.prunedRank(equalSlots, 0.6), "shares 0.5, 0.5: slot 1 goes, slot 0 stays");
        assertEquals(2, HetLora.prunedRank(untrained, 0.6), "no magnitudes, nothing to compare");
        assertEquals(2, HetLora.prunedRank(weakSecondSlot(), 0), "threshold 0 is off");
    }

    @Test
    void serverRemembersOnlyTheClientsThatPruned() {
        Strategy pruning = new HetLora(0.05);
        GlobalModel start = someGlobal();

        GlobalModel round1 = fold(pruning, start,
                List.of(sent(pruning, 7, 1, weakSecondSlot()), sent(pruning, 8, 1, normThirty())));

        PrunedRanks state = assertInstanceOf(PrunedRanks.class, round1.serverState());
        assertEquals(1, state.size());
        assertEquals(1, pruning.rankFor(7, 2, round1), "client 7 pruned to rank 1");
        assertEquals(2, pruning.rankFor(8, 2, round1), "client 8 kept its rank");
        assertEquals(2, pruning.rankFor(3, 2, round1), "client 3 was not sampled");
        assertEquals(1, pruning.rankFor(8, 1, round1), "the policy's rank when it is lower");

        // round 2: client 7 trains at rank 1 and keeps it; client 9 prunes from 2 to 1
        GlobalModel round2 = fold(pruning, round1,
                List.of(sent(pruning, 7, 1, normFifteen()), sent(pruning, 9, 1, weakSecondSlot())));

        PrunedRanks later = assertInstanceOf(PrunedRanks.class, round2.serverState());
        assertArrayEquals(new int[] {7, 9}, later.clients());
        assertArrayEquals(new int[] {1, 1}, later.ranks());
        assertEquals(1, pruning.rankFor(7, 2, round2));
        assertEquals(1, pruning.rankFor(9, 2, round2));
    }

    @Test
    void prunedSlotsCountAsZeroInTheAverage() {
        Strategy pruning = new HetLora(0.05);

        // client 7 sends rank 1 (A = [1 2 2], B = [3; 4], norm 15); client 8 sends normThirty (norm 30)
        GlobalModel next = fold(pruning, someGlobal(),
                List.of(sent(pruning, 7, 1, weakSecondSlot()), sent(pruning, 8, 1, normThirty())));

        assertArrayEquals(f(1, 2, 2, 4.0 / 3, 2.0 / 3, -4.0 / 3), next.adapter().a(0), 1e-6f);
        assertArrayEquals(f(5, 0, 4.0 / 3, 16.0 / 3), next.adapter().b(0), 1e-6f);
    }

    @Test
    void thresholdIsWiredFromTheConfigAndChecked() {
        Strategy fromConfig = Strategies.create(Adapters.config("strategy.name = hetlora",
                "strategy.hetlora.prune-threshold = 0.05"));
        var download = fromConfig.download(someGlobal(), 1);

        assertEquals(1, ((Adapter) fromConfig.upload(download, download.startFor(2), weakSecondSlot()).payload()).rank);
        assertFalse(fromConfig.requiresEqualRanks());
        assertEquals("prune threshold must be in [0, 1), found 1.0",
                assertThrows(IllegalArgumentException.class, () -> new HetLora(1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new HetLora(-0.1));
    }

    @Test
    void downloadIsTheTruncatedGlobal() {
        var download = strategy.download(Adapters.fresh(strategy, someGlobal()), 1);

        assertArrayEquals(someGlobal().adapter().withRank(1).flatten(), download.startFor(1).flatten());
        assertEquals(44, download.bytesFor(1));
    }

    @Test
    void noUpdatesReturnThePreviousModel() {
        GlobalModel previous = someGlobal();

        assertSame(previous, strategy.finish(strategy.zero(previous.adapter().layout, previous.adapter().rank), previous, 1));
    }
}
