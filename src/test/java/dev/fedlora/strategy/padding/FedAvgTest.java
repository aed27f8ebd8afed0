package dev.fedlora.strategy.padding;

import static dev.fedlora.strategy.Adapters.assertAdapter;
import static dev.fedlora.strategy.Adapters.f;
import static dev.fedlora.strategy.Adapters.fold;
import static dev.fedlora.strategy.Adapters.high;
import static dev.fedlora.strategy.Adapters.high2;
import static dev.fedlora.strategy.Adapters.someGlobal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.model.Adapter;
import dev.fedlora.strategy.Adapters;
import dev.fedlora.strategy.ClientUpdate;
import dev.fedlora.strategy.GlobalModel;
import dev.fedlora.strategy.Strategy;
import dev.fedlora.strategy.Upload;
import dev.fedlora.strategy.registry.Strategies;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** fedavg: the weighted mean of equal-rank adapters, as zero_pad computes it. */
class FedAvgTest {
    private final Strategy strategy = new FedAvg();

    private ClientUpdate sent(int clientId, long numExamples, Adapter trained) {
        var download = strategy.download(someGlobal(), 1);
        Upload upload = strategy.upload(download, download.startFor(trained.rank), trained);
        return Adapters.update(clientId, numExamples, trained.rank, upload.payload());
    }

    @Test
    void isTheWeightedMeanOfEveryValue() {
        // w = 3/4, 1/4: e.g. A[0][0] = 3/4 * 10 + 1/4 * 2 = 8
        GlobalModel next = fold(strategy, someGlobal(), List.of(sent(0, 3, high()), sent(1, 1, high2())));

        assertAdapter(
                f(8, 16, 24, 30, 35, 50),
                f(54, 58, 70, 76),
                f(4, 4.75, 5.5, 6.25),
                f(2.25, 0.75),
                next.adapter());
    }

    @Test
    void equalsZeroPaddingWithEqualRanks() {
        SplittableRandom rng = new SplittableRandom(11);
        List<ClientUpdate> updates = List.of(
                sent(0, 4, Adapter.init(Adapters.TINY, 2, rng)),
                sent(1, 9, Adapter.init(Adapters.TINY, 2, rng)),
                sent(2, 1, Adapter.init(Adapters.TINY, 2, rng)));

        assertArrayEquals(fold(new ZeroPadding(), someGlobal(), updates).adapter().flatten(),
                fold(strategy, someGlobal(), updates).adapter().flatten());
    }

    @Test
    void downloadAndUploadAreTheDenseAdapter() {
        var download = strategy.download(someGlobal(), 1);

        assertArrayEquals(someGlobal().adapter().flatten(), download.startFor(2).flatten());
        // 4 * (2 * 5 + 6) both ways
        assertEquals(64, download.bytesFor(2));
        assertEquals(64, strategy.upload(download, download.startFor(2), high()).bytes());
    }

    @Test
    void needsEqualRanksAndIsRegistered() {
        assertTrue(strategy.requiresEqualRanks());
        assertTrue(Adapters.trainsA(strategy));
        assertInstanceOf(FedAvg.class, Strategies.create(Adapters.config("strategy.name = fedavg")));
    }

    @Test
    void noUpdatesReturnThePreviousModel() {
        GlobalModel previous = someGlobal();

        assertSame(previous, strategy.finish(strategy.zero(previous.adapter().layout, previous.adapter().rank), previous, 1));
    }
}
