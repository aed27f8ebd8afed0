package dev.fedlora.strategy.dp;

import dev.fedlora.comm.Payload;
import dev.fedlora.model.Adapter;
import dev.fedlora.model.AdapterLayout;
import dev.fedlora.random.Seeds;
import dev.fedlora.strategy.Accumulator;
import dev.fedlora.strategy.Download;
import dev.fedlora.strategy.GlobalModel;
import dev.fedlora.strategy.NoisySum;
import dev.fedlora.strategy.Strategy;
import dev.fedlora.strategy.Upload;
import java.io.Serializable;

/**
 * DP-FedAvg (McMahan et al., "Learning Differentially Private Recurrent Language Models", ICLR
 * 2018) around a strategy whose fold is a {@link NoisySum}:
 *
 * <ul>
 *   <li>a client clips its update {@code delta_k = trained - start} to L2 norm {@code C},
 *       {@code delta_k min(1, C / ||delta_k||)}, over every value it trains, before the wrapped
 *       strategy encodes it (FLASC then sends the top-k of the clipped delta, whose norm is at most
 *       {@code C} too);</li>
 *   <li>clients weigh 1 each ({@link UniformSum}), not {@code n_k}: with data-size weights one
 *       client's influence, and so the sensitivity, would depend on its data;</li>
 *   <li>the server adds {@code N(0, sigma^2 C^2)} to every summed value a client can change, seeded
 *       by (seed, {@link Seeds.Purpose#DP_NOISE}, round), and divides by the expected cohort weight
 *       {@code W} ({@code m} for fixed-size sampling, {@code qN} for Poisson sampling) rather than by
 *       the clients that reported: {@code theta <- start + (sum_k delta_k + noise) / W}, the sum
 *       over a cohort that may be empty.</li>
 * </ul>
 *
 * Its download, ranks and server state are the wrapped strategy's. Every client must train at the
 * same rank: a lower-rank client's zero padding would move the global values of the slots it does
 * not own by an amount no clipping bounds.
 */
public final class DpFedAvg<D extends Download, P extends Payload, A extends Accumulator<P, A> & NoisySum,
        S extends Serializable> implements Strategy<D, P, UniformSum<P, A>, S> {
    private static final long serialVersionUID = 1L;

    private final Strategy<D, P, A, S> inner;
    private final double clipNorm;
    private final double noiseMultiplier;
    private final double expectedWeight;
    private final long seed;

    /**
     * @param clipNorm {@code C}, > 0
     * @param noiseMultiplier {@code sigma}, >= 0: the noise's standard deviation is {@code sigma C}
     * @param expectedWeight {@code W}, > 0
     * @param seed the experiment seed the noise is derived from
     * @throws IllegalArgumentException for a parameter out of range
     */
    public DpFedAvg(Strategy<D, P, A, S> inner, double clipNorm, double noiseMultiplier, double expectedWeight,
                    long seed) {
        if (!(clipNorm > 0 && Double.isFinite(clipNorm))) throw new IllegalArgumentException("clip norm must be > 0, found " + clipNorm);
        if (!(noiseMultiplier >= 0 && Double.isFinite(noiseMultiplier))) {
            throw new IllegalArgumentException("noise multiplier must be >= 0, found " + noiseMultiplier);
        }
        if (!(expectedWeight > 0)) throw new IllegalArgumentException("expected cohort weight must be > 0, found " + expectedWeight);
        this.inner = inner;
        this.clipNorm = clipNorm;
        this.noiseMultiplier = noiseMultiplier;
        this.expectedWeight = expectedWeight;
        this.seed = seed;
    }

    /**
     * Wraps a strategy known only by wildcards, whose fold must be a {@link NoisySum} (the registry
     * wraps only those); a fold that is not fails at {@link #zero}.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Strategy<?, ?, ?, ?> wrap(Strategy<?, ?, ?, ?> inner, double clipNorm, double noiseMultiplier,
                                           double expectedWeight, long seed) {
        return new DpFedAvg(inner, clipNorm, noiseMultiplier, expectedWeight, seed);
    }

    /** {@code delta min(1, C / ||delta||)} added back to {@code start}. */
    public static Adapter clip(Adapter start, Adapter trained, double clipNorm) {
        double norm = trained.distanceTo(start);
        if (norm <= clipNorm) return trained;
        double factor = clipNorm / norm;
        float[] s = start.flatten();
        float[] t = trained.flatten();
        for (int i = 0; i < t.length; i++) t[i] = (float) (s[i] + factor * ((double) t[i] - s[i]));
        return Adapter.unflatten(trained.layout, trained.rank, t);
    }

    @Override
    public S initialState() {
        return inner.initialState();
    }

    @Override
    public D download(GlobalModel<S> global, int round) {
        return inner.download(global, round);
    }

    @Override
    public Upload<P> upload(D received, Adapter start, Adapter trained) {
        return inner.upload(received, start, clip(start, trained, clipNorm));
    }

    @Override
    public UniformSum<P, A> zero(AdapterLayout layout, int maxRank) {
        A fold = inner.zero(layout, maxRank);
        if (!(fold instanceof NoisySum)) {
            throw new IllegalStateException("DP-FedAvg needs a fold that takes noise, found " + fold.getClass().getSimpleName());
        }
        return new UniformSum<>(fold);
    }

    /**
     * Tops the fold up to the expected weight with unchanged starts, adds the round's noise and lets
     * the wrapped strategy average; consumes {@code folded}.
     */
    @Override
    public GlobalModel<S> finish(UniformSum<P, A> folded, GlobalModel<S> previous, int round) {
        A sum = folded.inner;
        double missing = expectedWeight - sum.count();
        if (missing != 0) {
            Adapter start = inner.download(previous, round).startFor(previous.adapter().rank);
            sum.addUnchanged(start, missing);
        }
        double stddev = noiseMultiplier * clipNorm;
        if (stddev > 0) sum.addNoise(stddev, Seeds.rng(seed, Seeds.Purpose.DP_NOISE, round));
        return inner.finish(sum, previous, round);
    }

    @Override
    public int rankFor(int client, int policyRank, GlobalModel<S> global) {
        return inner.rankFor(client, policyRank, global);
    }

    @Override
    public boolean requiresEqualRanks() {
        return true;
    }

    public double clipNorm() {
        return clipNorm;
    }

    public double noiseMultiplier() {
        return noiseMultiplier;
    }

    public double expectedWeight() {
        return expectedWeight;
    }
}
