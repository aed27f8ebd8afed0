package dev.fedlora.pretrain;

import dev.fedlora.kernel.Gemm;
import dev.fedlora.model.transformer.Transformer;
import dev.fedlora.model.transformer.TransformerBase;
import dev.fedlora.model.transformer.TransformerWorkspace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Held-out language-model loss of a transformer, and of a bigram on exactly the same predictions.
 *
 * <p>Given a sequence {@code s[0..n)} (the pretraining job passes the end-of-text id followed by
 * {@code Passages.stream} of the test documents, so the first document's first token is predicted
 * after end-of-text like every other document's), every token {@code s[1] .. s[n-1]} is predicted
 * exactly once. Window {@code k} holds {@code s[k (T-1) .. k (T-1) + T)} (T the context length; the
 * last window is shorter), and its position {@code j} predicts {@code s[k (T-1) + j + 1]} from the
 * {@code j + 1} tokens {@code s[k (T-1) .. k (T-1) + j]}: consecutive windows overlap by one token,
 * the first token a window predicts has one token of context and the last {@code T - 1}, about
 * {@code T / 2} on average. Nothing before a window's start is seen. The bigram predicts the same
 * tokens, each from the one before it.
 */
public final class HeldOutPerplexity {
    /** Sum of negative log-likelihoods (nats) over {@code predictions} predicted tokens. */
    public record Loss(double nllSum, long predictions) {
        public double meanNll() {
            return nllSum / predictions;
        }

        public double perplexity() {
            return Math.exp(meanNll());
        }
    }

    private HeldOutPerplexity() {}

    /** Start of window {@code k}; windows run while a start is below {@code n - 1}. */
    static int windowStart(int k, int contextLength) {
        return k * (contextLength - 1);
    }

    /**
     * The transformer's loss over every prediction of {@code seq}, windows as the class comment says.
     * Full windows go {@code batch} at a time to {@code threads} workers (each batch on a new
     * Transformer with its own Gemm and workspace, per worker); the batch sums are added in window
     * order, so the result does not depend on the thread count.
     *
     * @throws IllegalArgumentException if the sequence has fewer than two tokens
     */
    public static Loss transformer(TransformerBase base, int[] seq, int batch, int threads, Supplier<Gemm> gemms) {
        int T = base.config().contextLength();
        if (seq.length < 2) throw new IllegalArgumentException("need at least two tokens, found " + seq.length);
        if (T < 2) throw new IllegalArgumentException("a causal language model needs contextLength >= 2, found " + T);
        int windows = (seq.length - 2) / (T - 1) + 1;
        int fullCount = 0;
        while (fullCount < windows && windowStart(fullCount, T) + T <= seq.length) fullCount++;
        final int full = fullCount;
        int batches = (full + batch - 1) / batch;
        double[] sums = new double[batches + 1];
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "eval-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            ThreadLocal<Worker> workers = ThreadLocal.withInitial(() -> new Worker(new Transformer(base, gemms.get())));
            for (int b = 0; b < batches; b++) {
                final int first = b * batch, count = Math.min(batch, full - first), slot = b;
                futures.add(pool.submit(() -> {
                    sums[slot] = workers.get().sum(seq, first, count, T, T);
                }));
            }
            if (full < windows) {
                int start = windowStart(full, T);
                futures.add(pool.submit(() -> {
                    sums[batches] = workers.get().sum(seq, full, 1, T, seq.length - start);
                }));
            }
            for (Future<?> f : futures) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during evaluation", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException("evaluation failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
        double total = 0;
        for (double s : sums) total += s;
        return new Loss(total, seq.length - 1);
    }

    /** The bigram's loss over the same predictions: {@code s[i]} given {@code s[i-1]}, i = 1 .. n-1. */
    public static Loss bigram(KneserNeyBigram model, int[] seq) {
        return new Loss(model.meanNll(seq) * (seq.length - 1), seq.length - 1);
    }

    /** A thread's model; workspaces by (windows, length), made once. */
    private static final class Worker {
        final Transformer model;
        final Map<Long, TransformerWorkspace> workspaces = new HashMap<>();

        Worker(Transformer model) {
            this.model = model;
        }

        /** Sum of NLLs of {@code count} windows from window {@code first}, each {@code length} tokens long. */
        double sum(int[] seq, int first, int count, int T, int length) {
            TransformerWorkspace ws = workspaces.computeIfAbsent(((long) count << 32) | length, k -> model.workspace(count, length, null));
            int[][] tokens = new int[count][length];
            for (int w = 0; w < count; w++) System.arraycopy(seq, windowStart(first + w, T), tokens[w], 0, length);
            return model.lmLoss(ws, tokens, null) * count * (length - 1);
        }
    }
}
