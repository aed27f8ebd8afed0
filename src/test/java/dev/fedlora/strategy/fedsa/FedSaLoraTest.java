package dev.fedlora.strategy.fedsa;

import static dev.fedlora.strategy.Adapters.f;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.model.Adapter;
import dev.fedlora.state.ClientState;
import dev.fedlora.strategy.Adapters;
import dev.fedlora.strategy.ClientMemory;
import dev.fedlora.strategy.ClientUpdate;
import dev.fedlora.strategy.Factor;
import dev.fedlora.strategy.GlobalModel;
import dev.fedlora.strategy.NoState;
import dev.fedlora.strategy.OneFactor;
import dev.fedlora.strategy.registry.Strategies;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** FedSA-LoRA on hand-computed adapters of {@link Adapters#TINY} at rank 2. */
class FedSaLoraTest {
    private final FedSaLora strategy = new FedSaLora();
    private final ClientMemory<SharedADownload, OneFactor> memory = strategy.clientMemory().orElseThrow();

    @Test
    void aAndTheHeadAreAveragedByExamplesAndTheGlobalBIsUntouched() {
        // n = 1 and 3, w = 1/4 and 3/4
        List<ClientUpdate<OneFactor>> updates = List.of(
                Adapters.update(1, 1, 2, OneFactor.of(Adapters.high(), Factor.A)),
                Adapters.update(2, 3, 2, OneFactor.of(Adapters.high2(), Factor.A)));
        GlobalModel<NoState> next = Adapters.fold(strategy, Adapters.someGlobal(), updates);

        // A = 1/4 [10 20 30; 40 50 60] + 3/4 [2 4 6; 0 -10 20]; head W = 1/4 [5 6 7 8] + 3/4 [1 1 1 1]
        Adapters.assertAdapter(f(4, 8, 12, 10, 5, 30), f(0.4, 6, 0.5, 5), f(2, 2.25, 2.5, 2.75), f(0.75, 0.25),
                next.adapter());
    }

    @Test
    void onlyAAndTheHeadTravelBothWays() {
        SharedADownload download = strategy.download(Adapters.someGlobal(), 3);
        Adapter start = download.startFor(2);
        var upload = strategy.upload(download, start, Adapters.high());

        // A is 2 x 3, head 2 x 2 + 2: 12 values, 4 bytes each; B (2 x 2) is not sent
        assertEquals(48, download.bytesFor(2));
        assertEquals(48, upload.bytes());
        assertEquals(48, memory.upload(download, start, Adapters.high(), Optional.empty()).upload().bytes());
        assertEquals(List.of("fc1.lora_A", "head.weight", "head.bias"), List.copyOf(upload.payload().tensors().keySet()));
        assertThrows(IllegalArgumentException.class, () -> download.startFor(1), "equal ranks");
        assertTrue(strategy.requiresEqualRanks());
    }

    @Test
    void aClientStartsFromTheSharedPartsWithItsOwnBAndKeepsItsTrainedB() {
        SharedADownload download = strategy.download(Adapters.someGlobal(), 3);

        Adapter first = memory.start(download, 2, Optional.empty());
        Adapters.assertAdapter(f(0.1, 0.2, 0.3, 7, 8, 9), f(0, 0, 0, 0), f(9, 9, 9, 9), f(9, 9), first);
        Adapter again = memory.start(download, 2, Optional.of(new ClientState(new float[][] {f(1, 2, 3, 4)})));
        Adapters.assertAdapter(f(0.1, 0.2, 0.3, 7, 8, 9), f(1, 2, 3, 4), f(9, 9, 9, 9), f(9, 9), again);

        ClientMemory.Remembered<OneFactor> sent = memory.upload(download, again, Adapters.high(), Optional.empty());
        assertEquals(1, sent.next().arrays().length, "one B per target");
        assertArrayEquals(f(70, 80, 90, 100), sent.next().array(0));
        assertArrayEquals(f(10, 20, 30, 40, 50, 60), sent.upload().payload().factors()[0]);
        assertEquals(Factor.A, sent.upload().payload().factor());
        assertTrue(memory.personalised());
        assertThrows(IllegalArgumentException.class,
                () -> memory.start(download, 2, Optional.of(new ClientState(new float[][] {f(1, 2, 3)}))));
    }

    @Test
    void isRegisteredAsFedsaLora() {
        assertInstanceOf(FedSaLora.class, Strategies.create(Adapters.config("strategy.name = fedsa_lora")));
    }
}
