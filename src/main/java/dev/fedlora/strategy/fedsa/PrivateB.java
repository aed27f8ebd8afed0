package dev.fedlora.strategy.fedsa;

import dev.fedlora.comm.WireSize;
import dev.fedlora.model.Adapter;
import dev.fedlora.model.LoraTarget;
import dev.fedlora.state.ClientState;
import dev.fedlora.strategy.ClientMemory;
import dev.fedlora.strategy.Factor;
import dev.fedlora.strategy.OneFactor;
import dev.fedlora.strategy.Upload;
import java.util.Optional;

/**
 * FedSA-LoRA's client side: a client starts from the downloaded {@code A} and head with its own
 * {@code B} (0 at its first round), and keeps its trained {@code B} (one array per target, in layout
 * order) for its next round. Personalised: the start adapter is the client's own model.
 */
final class PrivateB implements ClientMemory<SharedADownload, OneFactor> {
    private static final long serialVersionUID = 1L;

    /** @throws IllegalArgumentException if the state does not hold one {@code B} of this shape per target */
    @Override
    public Adapter start(SharedADownload received, int rank, Optional<ClientState> previous) {
        Adapter start = received.startFor(rank);
        if (previous.isEmpty()) return start;
        ClientState kept = previous.get();
        if (kept.arrays().length != start.targets()) {
            throw new IllegalArgumentException("a fedsa_lora client state holds " + kept.arrays().length
                    + " arrays, expected one B per target (" + start.targets() + ")");
        }
        for (LoraTarget t : start.layout.targets()) {
            float[] b = start.b(t);
            float[] mine = kept.array(t.index());
            if (mine.length != b.length) {
                throw new IllegalArgumentException("the kept B of " + t.name() + " holds " + mine.length
                        + " values, expected " + b.length);
            }
            System.arraycopy(mine, 0, b, 0, b.length);
        }
        return start;
    }

    @Override
    public Remembered<OneFactor> upload(SharedADownload received, Adapter start, Adapter trained,
                                      Optional<ClientState> previous) {
        OneFactor sent = OneFactor.of(trained, Factor.A);
        float[][] b = new float[trained.targets()][];
        for (LoraTarget t : trained.layout.targets()) b[t.index()] = trained.b(t).clone();
        return new Remembered<>(new Upload<>(sent, WireSize.dense(sent.values())), new ClientState(b));
    }

    @Override
    public boolean personalised() {
        return true;
    }
}
