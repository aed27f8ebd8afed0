package dev.fedlora.pretrain;

import dev.fedlora.kernel.Gemm;
import dev.fedlora.model.transformer.Transformer;
import dev.fedlora.model.transformer.TransformerBase;
import dev.fedlora.model.transformer.TransformerConfig;
import dev.fedlora.model.transformer.TransformerWorkspace;
import dev.fedlora.random.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Trains a {@link TransformerBase} from scratch as a causal language model on one token stream
 * (full-parameter training), deterministically.
 *
 * <p>Step {@code s} (from 0): draws {@code batch} window starts uniformly from
 * {@code [0, stream.length - contextLength]} with {@code Seeds.rng(seed, PRETRAIN, WINDOW_STREAM, s)}
 * and takes {@code contextLength} tokens from each (windows may cross the end-of-text tokens between
 * documents). The batch is cut into {@code shards} equal parts of consecutive windows; each shard has
 * its own {@link Transformer} (own {@link Gemm}), workspace and gradient holder, and the shards run on
 * {@code threads} worker threads. Their mean-loss gradients are then summed in shard order and
 * divided by the shard count (the gradient of the batch's mean loss), clipped by global norm, and
 * {@link AdamW} applies them with the {@link WarmupCosine} rate of step {@code s}. Weight decay
 * applies to the embeddings and the linear weights, not to LayerNorm gains and biases nor to any bias.
 *
 * <p>Determinism: nothing depends on timing. A shard's gradient is computed by one thread at a time
 * on its own buffers, and the sum always runs shard 0, 1, 2, ... on one thread. So the same stream,
 * config and settings give bit-identical weights for any thread count (1 thread runs the shards one
 * after the other); a different shard count changes the summation and so the bits.
 * The initial weights are {@code TransformerBase.init(config, Seeds.derive(seed, PRETRAIN, INIT_STREAM))}.
 */
public final class TransformerPretrainer implements AutoCloseable {
    /** Seed paths under {@link Seeds.Purpose#PRETRAIN}; negative, so they never meet the MLP pretraining's epoch numbers. */
    public static final long INIT_STREAM = -1, WINDOW_STREAM = -2;

    /**
     * @param steps optimizer steps
     * @param batch windows per step, a multiple of {@code shards}
     * @param shards parts each step's batch is cut into (fixed: the result depends on it)
     * @param threads worker threads the shards run on (the result does not depend on it)
     * @param clipNorm the global gradient norm is clipped to this (> 0)
     */
    public record Settings(int steps, int batch, int shards, int threads, double peakRate, double floorRate,
                           int warmup, AdamW.Hyper adam, double clipNorm, long seed) {
        /** @throws IllegalArgumentException naming the field and the value */
        public Settings {
            if (steps < 1) throw new IllegalArgumentException("steps must be >= 1, found " + steps);
            if (shards < 1) throw new IllegalArgumentException("shards must be >= 1, found " + shards);
            if (batch < 1 || batch % shards != 0) {
                throw new IllegalArgumentException("batch must be a positive multiple of shards=" + shards + ", found " + batch);
            }
            if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, found " + threads);
            if (!(clipNorm > 0)) throw new IllegalArgumentException("clipNorm must be > 0, found " + clipNorm);
            new WarmupCosine(peakRate, floorRate, warmup, steps);
        }

        public WarmupCosine schedule() {
            return new WarmupCosine(peakRate, floorRate, warmup, steps);
        }
    }

    /** What one step did. */
    public record StepResult(int step, double loss, double gradNorm, double rate) {}

    private final TransformerConfig config;
    private final int[] stream;
    private final Settings settings;
    private final WarmupCosine schedule;
    private final TransformerBase base;
    private final AdamW adam;
    private final float[][] params;
    private final Shard[] shards;
    private final ExecutorService pool;
    private int nextStep;

    /**
     * @param stream training tokens, ids in [0, vocabSize), at least contextLength of them
     * @param gemms a new Gemm per call (one per shard)
     * @throws IllegalArgumentException if the stream is shorter than a window or holds an id outside the vocabulary
     */
    public TransformerPretrainer(TransformerConfig config, int[] stream, Settings settings, Supplier<Gemm> gemms) {
        if (stream.length < config.contextLength()) {
            throw new IllegalArgumentException("the stream has " + stream.length + " tokens, fewer than one window of "
                    + config.contextLength());
        }
        for (int i = 0; i < stream.length; i++) {
            if (stream[i] < 0 || stream[i] >= config.vocabSize()) {
                throw new IllegalArgumentException("token " + i + " of the stream is " + stream[i] + ", outside [0, "
                        + config.vocabSize() + ")");
            }
        }
        this.config = config;
        this.stream = stream;
        this.settings = settings;
        this.schedule = settings.schedule();
        this.base = TransformerBase.init(config, Seeds.derive(settings.seed(), Seeds.Purpose.PRETRAIN, INIT_STREAM));
        List<String> names = base.tensorNames();
        params = new float[names.size()][];
        boolean[] decay = new boolean[names.size()];
        for (int i = 0; i < params.length; i++) {
            params[i] = base.tensor(names.get(i));
            decay[i] = decays(names.get(i));
        }
        adam = new AdamW(params, decay, settings.adam());
        int per = settings.batch() / settings.shards();
        shards = new Shard[settings.shards()];
        for (int k = 0; k < shards.length; k++) shards[k] = new Shard(new Transformer(base, gemms.get()), per, config);
        pool = settings.threads() == 1 ? null : Executors.newFixedThreadPool(settings.threads(), r -> {
            Thread t = new Thread(r, "pretrain-worker");
            t.setDaemon(true);
            return t;
        });
    }

    /** Whether weight decay applies to a tensor: embeddings and linear weights do; gains and biases do not. */
    public static boolean decays(String tensor) {
        return tensor.startsWith("embed.") || tensor.endsWith(".weight");
    }

    /** The live weights (updated by every step). */
    public TransformerBase base() {
        return base;
    }

    public Settings settings() {
        return settings;
    }

    /** Steps taken so far. */
    public int stepsDone() {
        return nextStep;
    }

    /** Tokens the model has read so far: steps x batch x contextLength. */
    public long tokensSeen() {
        return (long) nextStep * settings.batch() * config.contextLength();
    }

    /**
     * The next step.
     * @throws IllegalStateException if every step of the settings has been taken
     */
    public StepResult step() {
        if (nextStep >= settings.steps()) throw new IllegalStateException("all " + settings.steps() + " steps are done");
        int s = nextStep;
        int T = config.contextLength();
        SplittableRandom rng = Seeds.rng(settings.seed(), Seeds.Purpose.PRETRAIN, WINDOW_STREAM, s);
        int bound = stream.length - T + 1;
        for (Shard shard : shards) {
            for (int[] row : shard.tokens) System.arraycopy(stream, rng.nextInt(bound), row, 0, T);
        }
        runShards();
        double loss = 0;
        for (Shard shard : shards) loss += shard.loss;
        loss /= shards.length;
        float[][] grad = shards[0].gradTensors;
        for (int k = 1; k < shards.length; k++) {
            float[][] more = shards[k].gradTensors;
            for (int t = 0; t < grad.length; t++) {
                float[] g = grad[t], h = more[t];
                for (int j = 0; j < g.length; j++) g[j] += h[j];
            }
        }
        if (shards.length > 1) {
            float inv = 1f / shards.length;
            for (float[] g : grad) for (int j = 0; j < g.length; j++) g[j] *= inv;
        }
        double norm = AdamW.clipGlobalNorm(grad, settings.clipNorm());
        double rate = schedule.rate(s);
        adam.step(grad, rate);
        nextStep++;
        return new StepResult(s, loss, norm, rate);
    }

    private void runShards() {
        if (pool == null) {
            for (Shard shard : shards) shard.call();
            return;
        }
        List<Future<Shard>> futures = new ArrayList<>();
        for (Shard shard : shards) futures.add(pool.submit(shard));
        try {
            for (Future<Shard> f : futures) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during a pretraining step", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException("a pretraining shard failed", e.getCause());
        }
    }

    @Override
    public void close() {
        if (pool != null) pool.shutdownNow();
    }

    /** One part of the batch with everything its forward and backward pass writes. */
    private static final class Shard implements Callable<Shard> {
        final Transformer model;
        final TransformerWorkspace workspace;
        final TransformerBase grad;
        final float[][] gradTensors;
        final int[][] tokens;
        double loss;

        Shard(Transformer model, int windows, TransformerConfig config) {
            this.model = model;
            this.workspace = model.workspace(windows, config.contextLength(), null);
            this.grad = TransformerBase.zeros(config);
            List<String> names = grad.tensorNames();
            gradTensors = new float[names.size()][];
            for (int i = 0; i < gradTensors.length; i++) gradTensors[i] = grad.tensor(names.get(i));
            tokens = new int[windows][config.contextLength()];
        }

        @Override
        public Shard call() {
            loss = model.lmForwardBackward(workspace, tokens, null, null, grad);
            return this;
        }
    }
}
