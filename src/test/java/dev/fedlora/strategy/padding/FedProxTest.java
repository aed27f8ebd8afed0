package dev.fedlora.strategy.padding;

import static dev.fedlora.strategy.Adapters.TINY;
import static dev.fedlora.strategy.Adapters.high;
import static dev.fedlora.strategy.Adapters.high2;
import static dev.fedlora.strategy.Adapters.someGlobal;
import static dev.fedlora.strategy.Adapters.update;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.client.TrainingSpec;
import dev.fedlora.model.BaseDelta;
import dev.fedlora.strategy.Adapters;
import dev.fedlora.strategy.ClientUpdate;
import dev.fedlora.strategy.PaddedSum;
import dev.fedlora.strategy.Strategy;
import dev.fedlora.strategy.registry.Strategies;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * FedProx: the proximal weight travels in the download's training spec, and the server's fold is
 * FedAvg's, bit for bit. The local objective's gradient is checked in {@code ProximalStepTest}.
 */
class FedProxTest {
    private final FedProx strategy = new FedProx(0.25);

    @Test
    void theDownloadCarriesMuAndOtherwiseTrainsAsPlainLoRA() {
        TrainingSpec spec = strategy.download(someGlobal(), 3).training();

        assertEquals(0.25, spec.proximalMu());
        assertTrue(spec.trainsA());
        assertEquals(BaseDelta.NONE, spec.baseDelta());
        assertEquals(0.0, new FedAvg().download(someGlobal(), 3).training().proximalMu());
    }

    @Test
    void downloadUploadAndAggregationAreFedAvgs() {
        FedAvg fedAvg = new FedAvg();
        var mine = strategy.download(someGlobal(), 1);
        var theirs = fedAvg.download(someGlobal(), 1);
        assertArrayEquals(theirs.startFor(2).flatten(), mine.startFor(2).flatten());
        assertEquals(theirs.bytesFor(2), mine.bytesFor(2));
        assertEquals(fedAvg.upload(theirs, theirs.startFor(2), high()).bytes(),
                strategy.upload(mine, mine.startFor(2), high()).bytes());

        List<ClientUpdate<dev.fedlora.model.Adapter>> updates = List.of(update(0, 3, 2, high()), update(1, 1, 2, high2()));
        PaddedSum a = strategy.zero(TINY, 2);
        PaddedSum b = fedAvg.zero(TINY, 2);
        for (var u : updates) {
            a.add(u);
            b.add(u);
        }

        assertArrayEquals(fedAvg.finish(b, someGlobal(), 1).adapter().flatten(),
                strategy.finish(a, someGlobal(), 1).adapter().flatten());
    }

    @Test
    void everyClientTrainsAtTheGlobalRankAndMuIsFromTheConfig() {
        assertTrue(strategy.requiresEqualRanks());
        Strategy<?, ?, ?, ?> fromConfig = Strategies.create(Adapters.config("strategy.name = fedprox",
                "strategy.fedprox.mu = 0.5"));
        assertEquals(0.5, ((FedProx) fromConfig).download(someGlobal(), 1).training().proximalMu());
        assertThrows(IllegalArgumentException.class, () -> new FedProx(-0.1));
        assertThrows(IllegalArgumentException.class, () -> new FedProx(Double.NaN));
    }
}
