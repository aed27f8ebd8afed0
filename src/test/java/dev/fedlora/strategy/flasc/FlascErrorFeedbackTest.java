package dev.fedlora.strategy.flasc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.comm.SparseVector;
import dev.fedlora.model.Adapter;
import dev.fedlora.model.AdapterLayout;
import dev.fedlora.model.LoraInit;
import dev.fedlora.state.ClientState;
import dev.fedlora.strategy.Adapters;
import dev.fedlora.strategy.ClientMemory;
import dev.fedlora.strategy.ClientUpdate;
import dev.fedlora.strategy.GlobalModel;
import dev.fedlora.strategy.registry.Strategies;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * FLASC's error feedback by hand, on the smallest adapter: one 1 x 1 target at rank 1, so
 * {@code theta = [A, B]}, upload density 1/2 (one entry of two).
 */
class FlascErrorFeedbackTest {
    private static final AdapterLayout POINT = AdapterLayout.builder(LoraInit.GAUSSIAN).target("t", 1, 1).build();
    private final Flasc flasc = new Flasc(DensitySchedule.constant(1), DensitySchedule.constant(0.5), false,
            new ServerSgd(1), true);
    private final ClientMemory<FlascDownload, SparseVector> memory = flasc.clientMemory().orElseThrow();

    private static Adapter theta(float a, float b) {
        return Adapter.unflatten(POINT, 1, new float[] {a, b});
    }

    @Test
    void theResidualOfOneRoundIsAddedToTheDeltaOfTheNext() {
        GlobalModel<FlascState> global = new GlobalModel<>(theta(0, 0), FlascState.EMPTY);
        FlascDownload download = flasc.download(global, 1);
        Adapter start = memory.start(download, 1, Optional.empty());
        assertArrayEquals(new float[] {0, 0}, start.flatten());

        // Round t: delta = [3, 1]; top-1 keeps entry 0 and sends the trained -3; e = [0, 1].
        ClientMemory.Remembered<SparseVector> t = memory.upload(download, start, theta(-3, -1), Optional.empty());
        assertArrayEquals(new int[] {0}, t.upload().payload().indices());
        assertArrayEquals(new float[] {-3}, t.upload().payload().values());
        assertArrayEquals(new float[] {0, 1}, t.next().array(0));
        assertEquals(5, t.upload().bytes(), "4 bytes of value + a 1-byte mask of 2 entries");

        // Round t+1: delta = [1.5, 1], plus e = [1.5, 2]: entry 1 wins (it would lose without e) and
        // carries -1 - 1 = -2, so the server reads 0 - (-2) = 2 = delta + e; e = [1.5, 0].
        ClientMemory.Remembered<SparseVector> next = memory.upload(download, start, theta(-1.5f, -1), Optional.of(t.next()));
        assertArrayEquals(new int[] {1}, next.upload().payload().indices());
        assertArrayEquals(new float[] {-2}, next.upload().payload().values());
        assertArrayEquals(new float[] {1.5f, 0}, next.next().array(0));
        assertArrayEquals(new int[] {0}, flasc.upload(download, start, theta(-1.5f, -1)).payload().indices(),
                "without the residual entry 0 wins");

        // The server steps by the corrected delta: theta = [0, 0] - [0, 2].
        SparseSum sum = flasc.zero(POINT, 1);
        sum.add(new ClientUpdate<>(7, 1, 10, next.upload().payload()));
        assertArrayEquals(new float[] {0, -2}, flasc.finish(sum, global, 1).adapter().flatten());
    }

    @Test
    void withoutAResidualAClientSendsWhatFlascSends() {
        GlobalModel<FlascState> global = new GlobalModel<>(theta(0.5f, -0.25f), FlascState.EMPTY);
        FlascDownload download = flasc.download(global, 1);
        Adapter start = download.startFor(1);
        Adapter trained = theta(0.1f, 0.3f);
        SparseVector plain = flasc.upload(download, start, trained).payload();
        SparseVector remembered = memory.upload(download, start, trained, Optional.empty()).upload().payload();
        assertArrayEquals(plain.indices(), remembered.indices());
        assertArrayEquals(plain.values(), remembered.values());
    }

    @Test
    void noneIsTheDefaultAndKeepsNothing() {
        assertFalse(Strategies.create(Adapters.config("strategy.name = flasc")).clientMemory().isPresent());
        assertTrue(Strategies.create(Adapters.config("strategy.name = flasc", "strategy.flasc.error-feedback = residual"))
                .clientMemory().isPresent());
        assertEquals(List.of("none", "residual"), dev.fedlora.config.StrategyConfig.ERROR_FEEDBACK);
    }
}
