package dev.fedlora.strategy.flora;

import static dev.fedlora.strategy.Adapters.TINY;
import static dev.fedlora.strategy.Adapters.f;
import static dev.fedlora.strategy.Adapters.fold;
import static dev.fedlora.strategy.Adapters.high2;
import static dev.fedlora.strategy.Adapters.low;
import static dev.fedlora.strategy.Adapters.params;
import static dev.fedlora.strategy.Adapters.someGlobal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.fedlora.model.BaseMlp;
import dev.fedlora.model.Adapter;
import dev.fedlora.random.Seeds;
import dev.fedlora.strategy.Adapters;
import dev.fedlora.strategy.GlobalModel;
import dev.fedlora.strategy.Strategy;
import dev.fedlora.strategy.registry.Strategies;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * flora with scale s = 2 on the tiny model, clients low (id 0, rank 1) and high2 (id 1, rank 2),
 * one example each (w = 1/2, 1/2):
 * {@code B_low A_low = [4 8 12; 5 10 15]}, {@code B_high2 A_high2 = [12 104 -124; 20 0 140]}, so
 * {@code sum_k w_k B_k A_k = [8 56 -56; 12.5 5 77.5]}.
 */
class FloraTest {
    private static final long SEED = 5;
    private final Flora strategy = new Flora(2f, SEED);

    /** Hidden layer W = [1 0 0; 0 1 0], b = [0.5, -0.5]; pretraining head [1 2; 3 4]. */
    private static BaseMlp base() {
        return new BaseMlp(new int[] {3, 2, 2},
                new float[][] {f(1, 0, 0, 0, 1, 0), f(1, 2, 3, 4)},
                new float[][] {f(0.5, -0.5), f(0, 0)});
    }

    private GlobalModel afterOneRound() {
        // in reverse id order: the stack is built in client-id order regardless
        return fold(strategy, someGlobal(), List.of(Adapters.update(1, 1, 2, high2()), Adapters.update(0, 1, 1, low())));
    }

    @Test
    void stackedModuleMultipliesToTheWeightedSumOfProducts() {
        FloraState state = assertInstanceOf(FloraState.class, afterOneRound().serverState());
        StackedModule stack = state.lastStack();

        assertEquals(3, stack.slots());
        // A_stack = [w_low A_low; w_high2 A_high2], B_stack = [B_low, B_high2]
        assertArrayEquals(f(0.5, 1, 1.5, 1, 2, 3, 0, -5, 10), stack.a()[0]);
        assertArrayEquals(f(4, 6, -8, 5, 10, 4), stack.b()[0]);
        assertArrayEquals(new double[] {8, 56, -56, 12.5, 5, 77.5}, stack.product(stack.layout().targets().get(0)), 1e-12);
    }

    @Test
    void baseAfterOneRoundIsWPlusScaleTimesTheWeightedSum() {
        BaseMlp original = base();
        GlobalModel next = afterOneRound();

        BaseMlp merged = Adapters.frozenBase(strategy, original, next);

        // [1 0 0; 0 1 0] + 2 [8 56 -56; 12.5 5 77.5]
        assertArrayEquals(f(17, 112, -112, 25, 11, 155), merged.weight(0));
        assertArrayEquals(f(0.5, -0.5), merged.bias(0));
        assertArrayEquals(f(1, 2, 3, 4), merged.weight(1), "the pretraining head is not adapted");
        assertArrayEquals(f(1, 0, 0, 0, 1, 0), original.weight(0), "the original base is not modified");
        assertSame(merged, Adapters.frozenBase(strategy, original, next), "one merged base per original");
    }

    @Test
    void baseIsTheOriginalUntilTheFirstMerge() {
        BaseMlp original = base();

        assertSame(original, Adapters.frozenBase(strategy, original, someGlobal()));
    }

    @Test
    void mergesAccumulateOverRounds() {
        GlobalModel round1 = afterOneRound();
        // round 2: one client, rank 1, A = [1 0 0], B = [1; 2]: product [1 0 0; 2 0 0]
        Adapter third = params(1, f(1, 0, 0), f(1, 2), f(0, 0, 0, 0), f(0, 0));

        GlobalModel round2 = fold(strategy, round1, List.of(Adapters.update(4, 9, 1, third)));

        // W + 2 (round 1) + 2 [1 0 0; 2 0 0]
        assertArrayEquals(f(19, 112, -112, 29, 11, 155), Adapters.frozenBase(strategy, base(), round2).weight(0));
        assertEquals(1, ((FloraState) round2.serverState()).lastStack().slots());
    }

    @Test
    void loraRestartsAfterTheMergeAndTheHeadIsAveraged() {
        GlobalModel next = afterOneRound();

        assertArrayEquals(new float[6], next.adapter().a(0), "the global LoRA is all in the base");
        assertArrayEquals(new float[4], next.adapter().b(0));
        assertArrayEquals(f(1, 1.5, 2, 2.5), next.adapter().dense("head.weight"));
        assertArrayEquals(f(0.5, -0.5), next.adapter().dense("head.bias"));

        Adapter start = strategy.download(next, 2).startFor(2);
        Adapter fresh = Adapter.init(TINY, 2, Seeds.rng(SEED, Seeds.Purpose.INIT, 2));
        assertArrayEquals(fresh.a(0), start.a(0), "A drawn from (seed, round 2)");
        assertArrayEquals(new float[4], start.b(0));
        assertArrayEquals(next.adapter().dense("head.weight"), start.dense("head.weight"));
        assertNotEquals(fresh.a(0)[0], strategy.download(next, 3).startFor(2).a(0)[0], "another round, another A");
    }

    @Test
    void firstRoundStartsFromTheInitialGlobal() {
        GlobalModel initial = Adapters.fresh(strategy, someGlobal());

        assertArrayEquals(initial.adapter().flatten(), strategy.download(initial, 1).startFor(2).flatten());
    }

    @Test
    void bytesDownAreTheHeadAndTheCheaperOfTheMergedDeltaAndAllStacksSoFar() {
        var first = strategy.download(Adapters.fresh(strategy, someGlobal()), 1);
        var second = strategy.download(afterOneRound(), 2);

        assertEquals(4 * 6, first.bytesFor(1), "head only: A comes from the seed, B is 0");
        // 3 stacked slots of 3 + 2 values = 15 > the dense 2 x 3 delta: the delta, plus 6 head values
        assertEquals(4 * (6 + 6), second.bytesFor(1));
        assertEquals(4 * (6 + 6), second.bytesFor(2));
        assertEquals(4 * (1 * 5 + 6), strategy.upload(first, first.startFor(1), low()).bytes());
    }

    @Test
    void aClientThatHoldsOnlyTheOriginalBaseIsChargedForEveryStackSoFar() {
        Adapter rank1 = params(1, f(1, 0, 0), f(1, 2), f(0, 0, 0, 0), f(0, 0));
        GlobalModel round1 = fold(strategy, someGlobal(), List.of(Adapters.update(0, 1, 1, rank1)));
        GlobalModel round2 = fold(strategy, round1, List.of(Adapters.update(3, 1, 1, rank1)));

        // after round 1: one slot of 3 + 2 values is cheaper than the 6-value delta
        assertEquals(4 * (5 + 6), strategy.download(round1, 2).bytesFor(1));
        // after round 2: two slots (10 values) since the original base cost more than the delta (6)
        assertEquals(4 * (6 + 6), strategy.download(round2, 3).bytesFor(1));
    }

    @Test
    void scaleAndSeedComeFromTheConfig() {
        Strategy fromConfig = Strategies.create(Adapters.config("strategy.name = flora",
                "experiment.seed = 5", "lora.alpha = 4", "clients.ranks.rank = 2"));
        GlobalModel next = fold(fromConfig, someGlobal(),
                List.of(Adapters.update(1, 1, 2, high2()), Adapters.update(0, 1, 1, low())));

        // alpha 4 / r_max 2 = 2, as above
        assertArrayEquals(f(17, 112, -112, 25, 11, 155), Adapters.frozenBase(fromConfig, base(), next).weight(0));
        assertArrayEquals(strategy.download(next, 2).startFor(2).flatten(), fromConfig.download(next, 2).startFor(2).flatten());
        assertThrows(IllegalArgumentException.class, () -> new Flora(0f, 1));
    }

    @Test
    void noUpdatesReturnThePreviousModel() {
        GlobalModel previous = someGlobal();

        assertSame(previous, strategy.finish(strategy.zero(previous.adapter().layout, previous.adapter().rank), previous, 1));
    }
}
