package dev.fedlora.strategy.flasc;

import dev.fedlora.comm.SparseVector;
import dev.fedlora.comm.TopK;
import dev.fedlora.comm.WireSize;
import dev.fedlora.model.Adapter;
import dev.fedlora.state.ClientState;
import dev.fedlora.strategy.ClientMemory;
import dev.fedlora.strategy.Upload;
import java.util.Optional;

/**
 * FLASC's error feedback ({@code strategy.flasc.error-feedback = residual}): client {@code k} keeps
 * what its top-k upload dropped. With {@code e_k} its residual (0 before its first round), it
 * sparsifies {@code c_k = delta_k + e_k} instead of {@code delta_k}, sends the top
 * {@code ceil(d_up |theta|)} entries of {@code |c_k|} and keeps {@code e_k <- c_k} outside them
 * (0 inside) for its next participation. As in {@link Flasc} a client sends trained values, here
 * {@code theta_k[i] - e_k[i]}, from which the server reads {@code c_k[i] = (M . theta)[i] - sent[i]};
 * a client without a residual sends exactly what {@link Flasc#upload} sends. The state is the one
 * array {@code e_k}, over {@code theta} in the adapter's flattening order.
 */
final class ResidualFeedback implements ClientMemory<FlascDownload, SparseVector> {
    private static final long serialVersionUID = 1L;

    @Override
    public Adapter start(FlascDownload received, int rank, Optional<ClientState> previous) {
        return received.startFor(rank);
    }

    /** @throws IllegalArgumentException if the kept residual is not one array over {@code theta} */
    @Override
    public Remembered<SparseVector> upload(FlascDownload received, Adapter start, Adapter trained,
                                           Optional<ClientState> previous) {
        float[] after = trained.flatten();
        float[] corrected = start.flatten();
        for (int i = 0; i < corrected.length; i++) corrected[i] -= after[i];
        float[] sent = after;
        if (previous.isPresent()) {
            float[] residual = residualOf(previous.get(), corrected.length);
            sent = after.clone();
            for (int i = 0; i < corrected.length; i++) {
                corrected[i] += residual[i];
                sent[i] -= residual[i];
            }
        }
        boolean[] mask = TopK.mask(corrected, TopK.count(received.uploadDensity(), corrected.length));
        SparseVector sparse = SparseVector.gather(sent, mask);
        for (int i = 0; i < mask.length; i++) if (mask[i]) corrected[i] = 0f;
        return new Remembered<>(new Upload<>(sparse, WireSize.cheapest(sparse.nnz(), corrected.length)),
                new ClientState(new float[][] {corrected}));
    }

    private static float[] residualOf(ClientState kept, int length) {
        if (kept.arrays().length != 1 || kept.array(0).length != length) {
            throw new IllegalArgumentException("a flasc residual must be one array of " + length + " values, found "
                    + kept);
        }
        return kept.array(0);
    }
}
