package dev.fedlora.strategy.flora;

import dev.fedlora.comm.WireSize;
import dev.fedlora.model.AdapterLayout;
import dev.fedlora.model.LoraTarget;
import dev.fedlora.model.Adapter;
import dev.fedlora.random.Seeds;
import dev.fedlora.strategy.GlobalModel;
import dev.fedlora.strategy.Strategy;
import dev.fedlora.strategy.Upload;
import java.util.Arrays;

/**
 * FLoRA (Wang et al., "FLoRA: Federated Fine-Tuning Large Language Models with Heterogeneous
 * Low-Rank Adaptations", NeurIPS 2024): aggregation by stacking. The server stacks the uploads,
 * {@code A_stack = [w_1 A_1; ...; w_K A_K]} and {@code B_stack = [B_1, ..., B_K]}
 * ({@link StackedModule}, clients in id order, {@code w_k = n_k / sum_j n_j}), so that
 * {@code B_stack A_stack = sum_k w_k B_k A_k} exactly, with no cross terms between clients. Each
 * round the stack is merged into the frozen base, {@code W_t <- W_t + s B_stack A_stack} with
 * {@code s} the LoRA scale, and LoRA restarts: the global {@code B} and {@code A} become 0, and
 * round {@code t}'s clients start from {@code A} drawn afresh from the seed of
 * {@code (seed, INIT, t)} with {@code B = 0}. The dense tensors are averaged by {@code n_k}.
 *
 * <p>Bytes down: the dense tensors plus what brings the original base up to date
 * ({@link FloraState#baseUpdateValues}: per LoRA target the cheaper of the dense merged delta and
 * every stack merged so far — the server keeps nothing per client, so every client is charged as one
 * that holds only the original base); the restarted {@code A} comes from the shared seed and
 * {@code B} is 0. Bytes up: the client's dense adapter.
 */
public final class Flora implements Strategy<FloraDownload, Adapter, FloraStack, FloraState> {
    private static final long serialVersionUID = 1L;

    private final float scale;
    private final long seed;

    /**
     * @param scale the LoRA scale {@code alpha / r_max} the clients train with
     * @param seed the experiment seed, from which each round's restarted {@code A} is derived
     * @throws IllegalArgumentException if the scale is not positive and finite
     */
    public Flora(float scale, long seed) {
        if (!(scale > 0 && Float.isFinite(scale))) {
            throw new IllegalArgumentException("LoRA scale must be > 0 and finite, found " + scale);
        }
        this.scale = scale;
        this.seed = seed;
    }

    @Override
    public FloraState initialState() {
        return FloraState.EMPTY;
    }

    @Override
    public FloraDownload download(GlobalModel<FloraState> global, int round) {
        FloraState state = global.serverState();
        if (state.isEmpty()) return new FloraDownload(global.adapter(), 0, state.merged());
        return new FloraDownload(restarted(global.adapter(), round), state.baseUpdateValues(), state.merged());
    }

    /** {@code adapter} with {@code A} drawn from the seed of {@code (seed, INIT, round)} and {@code B = 0}. */
    Adapter restarted(Adapter adapter, int round) {
        Adapter fresh = Adapter.init(adapter.layout, adapter.rank, Seeds.rng(seed, Seeds.Purpose.INIT, round));
        Adapter out = adapter.copy();
        for (LoraTarget t : out.layout.targets()) {
            System.arraycopy(fresh.a(t), 0, out.a(t), 0, out.a(t).length);
            Arrays.fill(out.b(t), 0f);
        }
        return out;
    }

    @Override
    public Upload<Adapter> upload(FloraDownload received, Adapter start, Adapter trained) {
        return new Upload<>(trained, WireSize.dense(trained.size()));
    }

    @Override
    public FloraStack zero(AdapterLayout layout, int maxRank) {
        return new FloraStack(layout, maxRank);
    }

    @Override
    public GlobalModel<FloraState> finish(FloraStack stack, GlobalModel<FloraState> previous, int round) {
        if (stack.count() == 0) return previous;
        FloraState state = previous.serverState().merge(stack.stack(), scale);
        Adapter restartedLora = new Adapter(previous.adapter().layout, previous.adapter().rank);
        stack.dense.meanInto(restartedLora);
        return new GlobalModel<>(restartedLora, state);
    }
}
