package dev.fedlora.strategy;

import dev.fedlora.comm.SparseVector;
import dev.fedlora.comm.TopK;
import dev.fedlora.comm.WireSize;
import dev.fedlora.model.LoraParams;

/**
 * FLASC (Kuo et al., "Federated LoRA with Sparse Communication", 2024). Every client has the same
 * rank and trains all of {@code theta} (every A, B and the head) densely; only communication is
 * sparse. Each round the server sends {@code M . theta} with {@code M} one global top-k mask over
 * {@code |theta|}, {@code k = ceil(d_down |theta|)}; a client uploads
 * {@code delta_k = (M . theta) - theta_k} kept at its top {@code ceil(d_up |theta|)} magnitudes
 * (the rest is discarded, no error feedback); the server steps
 * {@code theta <- theta - eta_s sum_k w_k delta_k}. With both densities 1 and {@code eta_s = 1}
 * this is FedAvg.
 */
public final class Flasc implements Strategy {
    private static final long serialVersionUID = 1L;

    private final double downloadDensity;
    private final double uploadDensity;
    private final double serverLearningRate;

    /** @throws IllegalArgumentException if a density is outside (0, 1] or the server rate is not positive */
    public Flasc(double downloadDensity, double uploadDensity, double serverLearningRate) {
        TopK.count(downloadDensity, 1);
        TopK.count(uploadDensity, 1);
        if (!(serverLearningRate > 0)) {
            throw new IllegalArgumentException("server learning rate must be > 0, found " + serverLearningRate);
        }
        this.downloadDensity = downloadDensity;
        this.uploadDensity = uploadDensity;
        this.serverLearningRate = serverLearningRate;
    }

    @Override
    public boolean requiresEqualRanks() {
        return true;
    }

    @Override
    public Download download(GlobalModel global, int round) {
        LoraParams adapter = global.adapter();
        float[] theta = adapter.flatten();
        int k = TopK.count(downloadDensity, theta.length);
        boolean[] mask = TopK.mask(theta, k);
        for (int i = 0; i < theta.length; i++) if (!mask[i]) theta[i] = 0f;
        return new FlascDownload(adapter.shape, adapter.rank, theta, k);
    }

    @Override
    public Upload upload(Download received, LoraParams start, LoraParams trained) {
        float[] delta = start.flatten();
        float[] after = trained.flatten();
        for (int i = 0; i < delta.length; i++) delta[i] -= after[i];
        boolean[] mask = TopK.mask(delta, TopK.count(uploadDensity, delta.length));
        SparseVector sparse = SparseVector.gather(delta, mask);
        return new Upload(sparse, WireSize.cheapest(sparse.nnz(), delta.length));
    }

    @Override
    public Accumulator zero(GlobalModel global) {
        return new SparseSum(global.adapter().size());
    }

    @Override
    public GlobalModel finish(Accumulator folded, GlobalModel previous) {
        SparseSum sum = (SparseSum) folded;
        if (sum.count() == 0) return previous;
        LoraParams adapter = previous.adapter();
        float[] theta = adapter.flatten();
        double step = serverLearningRate / sum.totalWeight;
        for (int i = 0; i < theta.length; i++) theta[i] = (float) (theta[i] - step * sum.sum[i]);
        return new GlobalModel(LoraParams.unflatten(adapter.shape, adapter.rank, theta), previous.serverState());
    }
}
