package dev.fedlora.strategy.flasc;

import dev.fedlora.comm.SparseVector;
import dev.fedlora.comm.TopK;
import dev.fedlora.comm.WireSize;
import dev.fedlora.model.Adapter;
import dev.fedlora.model.AdapterLayout;
import dev.fedlora.strategy.ClientMemory;
import dev.fedlora.strategy.GlobalModel;
import dev.fedlora.strategy.Strategy;
import dev.fedlora.strategy.Upload;
import java.io.Serializable;
import java.util.BitSet;
import java.util.Optional;

/**
 * FLASC (Kuo et al., "Federated LoRA with Sparse Communication", 2024). Every client has the same
 * rank and trains all of {@code theta} (every A, B and the head) densely; only communication is
 * sparse. In round {@code t} the server sends {@code M . theta} with {@code M} one global top-k
 * mask over {@code |theta|}, {@code k = ceil(d_down(t) |theta|)}; a client keeps the top
 * {@code ceil(d_up(t) |theta|)} magnitudes of {@code delta_k = (M . theta) - theta_k} (the rest is
 * discarded, no error feedback) and the server steps along the pseudo-gradient
 * {@code g = sum_k w_k delta_k} with its {@link ServerOptimizer}: SGD
 * {@code theta <- theta - eta_s g}, or Adam.
 *
 * <p>On the wire a client sends, at the entries it keeps, its trained values {@code theta_k[i]}
 * rather than {@code delta_k[i]}: the same bytes, and no rounding, since the server knows
 * {@code M . theta} and so {@code delta_k}. The server forms the clients' weighted mean
 * {@code mean_i = sum_k w_k theta_k[i]} (an entry a client did not send counts as
 * {@code (M . theta)[i]}), so {@code g = M . theta - mean}. With both densities 1 and SGD at
 * {@code eta_s = 1} this is FedAvg, bit for bit.
 *
 * <p>The densities follow {@link DensitySchedule}s over the rounds. With a frozen mask, the mask
 * of round 1 (taken at the constant download density) is kept in the server state and reused in
 * every later round.
 */
public final class Flasc implements Strategy<FlascDownload, SparseVector, SparseSum, FlascState> {
    private static final long serialVersionUID = 1L;

    private final DensitySchedule downloadDensity;
    private final DensitySchedule uploadDensity;
    private final boolean frozenMask;
    private final ServerOptimizer optimizer;
    private final boolean errorFeedback;

    /** Constant densities, a fresh mask every round, server SGD. */
    public Flasc(double downloadDensity, double uploadDensity, double serverLearningRate) {
        this(DensitySchedule.constant(downloadDensity), DensitySchedule.constant(uploadDensity), false,
                new ServerSgd(serverLearningRate));
    }

    /** Without error feedback. */
    public Flasc(DensitySchedule downloadDensity, DensitySchedule uploadDensity, boolean frozenMask,
                 ServerOptimizer optimizer) {
        this(downloadDensity, uploadDensity, frozenMask, optimizer, false);
    }

    /**
     * @param errorFeedback true to keep each client's dropped remainder as its state ({@link ResidualFeedback})
     * @throws IllegalArgumentException if the mask is frozen but the download density changes over the rounds
     */
    public Flasc(DensitySchedule downloadDensity, DensitySchedule uploadDensity, boolean frozenMask,
                 ServerOptimizer optimizer, boolean errorFeedback) {
        if (frozenMask && !downloadDensity.isConstant()) {
            throw new IllegalArgumentException("a frozen download mask needs a constant download density, found "
                    + downloadDensity);
        }
        this.downloadDensity = downloadDensity;
        this.uploadDensity = uploadDensity;
        this.frozenMask = frozenMask;
        this.optimizer = optimizer;
        this.errorFeedback = errorFeedback;
    }

    /** With error feedback, each client's residual ({@link ResidualFeedback}); else nothing. */
    @Override
    public Optional<ClientMemory<FlascDownload, SparseVector>> clientMemory() {
        return errorFeedback ? Optional.of(new ResidualFeedback()) : Optional.empty();
    }

    @Override
    public boolean requiresEqualRanks() {
        return true;
    }

    @Override
    public FlascState initialState() {
        return FlascState.EMPTY;
    }

    @Override
    public FlascDownload download(GlobalModel<FlascState> global, int round) {
        Adapter adapter = global.adapter();
        float[] theta = adapter.flatten();
        BitSet frozen = frozenMask ? global.serverState().downloadMask() : null;
        BitSet mask = frozen != null ? frozen : topK(theta, downloadDensity.at(round));
        for (int i = mask.nextClearBit(0); i < theta.length; i = mask.nextClearBit(i + 1)) theta[i] = 0f;
        return new FlascDownload(adapter.layout, adapter.rank, theta, mask.cardinality(), uploadDensity.at(round));
    }

    private static BitSet topK(float[] theta, double density) {
        boolean[] keep = TopK.mask(theta, TopK.count(density, theta.length));
        BitSet mask = new BitSet(theta.length);
        for (int i = 0; i < keep.length; i++) if (keep[i]) mask.set(i);
        return mask;
    }

    /** The client's trained values at the top-k entries of {@code |delta_k|}. */
    @Override
    public Upload<SparseVector> upload(FlascDownload received, Adapter start, Adapter trained) {
        double density = received.uploadDensity();
        float[] delta = start.flatten();
        float[] after = trained.flatten();
        for (int i = 0; i < delta.length; i++) delta[i] -= after[i];
        boolean[] mask = TopK.mask(delta, TopK.count(density, delta.length));
        SparseVector sparse = SparseVector.gather(after, mask);
        return new Upload<>(sparse, WireSize.cheapest(sparse.nnz(), delta.length));
    }

    @Override
    public SparseSum zero(AdapterLayout layout, int maxRank) {
        return new SparseSum((int) layout.values(maxRank));
    }

    @Override
    public GlobalModel<FlascState> finish(SparseSum sum, GlobalModel<FlascState> previous, int round) {
        if (sum.count() == 0) return previous;
        Adapter adapter = previous.adapter();
        FlascState state = previous.serverState();
        float[] theta = adapter.flatten();
        float[] start = download(previous, round).maskedTheta();
        Serializable optimizerState = optimizer.step(theta, start, sum.mean(start), state.optimizerState());
        BitSet mask = state.downloadMask();
        if (frozenMask && mask == null) mask = topK(adapter.flatten(), downloadDensity.at(1));
        return new GlobalModel<>(Adapter.unflatten(adapter.layout, adapter.rank, theta),
                new FlascState(mask, optimizerState));
    }
}
