package dev.fedlora.model.transformer;

import dev.fedlora.data.Examples;
import dev.fedlora.data.text.TokenExamples;
import dev.fedlora.kernel.OpenBlasGemm;
import dev.fedlora.model.Adapter;
import dev.fedlora.model.AdapterLayout;
import dev.fedlora.model.DenseTensor;
import dev.fedlora.model.LoraTarget;
import dev.fedlora.model.TrainableNetwork;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link TransformerModel} training under an adapter: the project's {@link Adapter} copied into
 * a {@link TransformerLora}, batches of token sequences, and SGD with heavy-ball momentum (and
 * FedProx's proximal term) on every trainable array. One per thread: it owns its single-threaded
 * BLAS and a workspace per batch shape, so a step allocates nothing.
 */
public final class TransformerNetwork implements TrainableNetwork {
    private final TransformerModel model;
    private final AdapterLayout layout;
    private final int rank;
    private final Transformer transformer;
    private final TransformerLora lora;
    private final TransformerLora grad;
    /** Trainable arrays of {@link #lora} in flattening order, with their gradients, velocities and whether each is an A or a B. */
    private final List<float[]> params = new ArrayList<>();
    private final List<float[]> grads = new ArrayList<>();
    private final List<float[]> velocity = new ArrayList<>();
    private final List<Boolean> isA = new ArrayList<>();
    private final List<Boolean> isB = new ArrayList<>();
    private List<float[]> anchor;
    private final Map<Long, Batch> batches = new HashMap<>();
    private Batch current;

    /**
     * Buffers for one batch shape; the workspace is made on the first training step, so a large
     * evaluation batch (which runs in {@link #EVAL_CHUNK}s) holds only its tokens.
     */
    private final class Batch {
        private TransformerWorkspace ws;
        final int[][] tokens;
        final int[] labels;

        Batch(int n, int seqLen) {
            tokens = new int[n][seqLen];
            labels = new int[n];
        }

        TransformerWorkspace ws() {
            if (ws == null) ws = transformer.workspace(tokens.length, tokens[0].length, lora);
            return ws;
        }
    }

    /**
     * Sequences a forward-only evaluation runs at once: an evaluation batch of 500 sequences of 64
     * tokens would need about 660 MB of activations and logits at the pretraining job's shape, 32
     * need about 40 MB. The loss is the same to the bit either way ({@link Transformer#lmLossSum}).
     */
    static final int EVAL_CHUNK = 32;
    private final Map<Long, Batch> chunks = new HashMap<>();

    TransformerNetwork(TransformerModel model, int rank, float scale) {
        this.model = model;
        this.layout = model.layout();
        this.rank = rank;
        this.transformer = new Transformer(model.base(), new OpenBlasGemm(), model.fastMath());
        this.lora = TransformerLora.zeros(model.base(), model.targets(), rank, scale, model.classes());
        this.grad = lora.zerosLike();
        for (LoraTarget t : layout.targets()) {
            add(lora.a(t.name()), grad.a(t.name()), true, false);
            add(lora.b(t.name()), grad.b(t.name()), false, true);
        }
        for (DenseTensor d : layout.dense()) add(lora.dense(d.name()), grad.dense(d.name()), false, false);
    }

    private void add(float[] p, float[] g, boolean a, boolean b) {
        params.add(p);
        grads.add(g);
        velocity.add(new float[p.length]);
        isA.add(a);
        isB.add(b);
    }

    @Override public int rank() { return rank; }

    @Override
    public void load(Adapter p) {
        if (p.rank != rank || !p.layout.equals(layout)) {
            throw new IllegalArgumentException("parameters of rank " + p.rank + " for a network of rank " + rank);
        }
        List<float[]> values = arrays(p);
        for (int i = 0; i < params.size(); i++) {
            System.arraycopy(values.get(i), 0, params.get(i), 0, params.get(i).length);
            java.util.Arrays.fill(velocity.get(i), 0f);
        }
    }

    /** The arrays of {@code p} in the order of {@link #params}. */
    private static List<float[]> arrays(Adapter p) {
        List<float[]> out = new ArrayList<>();
        for (LoraTarget t : p.layout.targets()) {
            out.add(p.a(t));
            out.add(p.b(t));
        }
        for (DenseTensor d : p.layout.dense()) out.add(p.dense(d));
        return out;
    }

    @Override
    public Adapter store() {
        return copyOut(params);
    }

    @Override
    public Adapter gradients() {
        return copyOut(grads);
    }

    private Adapter copyOut(List<float[]> from) {
        Adapter p = new Adapter(layout, rank);
        List<float[]> to = arrays(p);
        for (int i = 0; i < to.size(); i++) System.arraycopy(from.get(i), 0, to.get(i), 0, to.get(i).length);
        return p;
    }

    @Override
    public void loadBatch(Examples data, int[] idx, int from, int n) {
        TokenExamples tokens = TransformerModel.tokens(data);
        int seqLen = tokens.sequenceLength();
        current = batches.computeIfAbsent(((long) n << 32) | seqLen, k -> new Batch(n, seqLen));
        for (int i = 0; i < n; i++) {
            tokens.tokens(idx[from + i], current.tokens[i], 0);
            if (model.classes() > 0) current.labels[i] = tokens.label(idx[from + i]);
        }
    }

    private Batch batch(int n) {
        if (current == null || current.tokens.length != n) {
            throw new IllegalStateException("no batch of " + n + " sequences is loaded");
        }
        return current;
    }

    @Override
    public double forwardBackward(int n) {
        Batch b = batch(n);
        TransformerWorkspace ws = b.ws();
        double mean = model.classes() > 0
                ? transformer.classifyForwardBackward(ws, b.tokens, b.labels, lora, grad, null)
                : transformer.lmForwardBackward(ws, b.tokens, lora, grad, null);
        return mean * ws.predictions();
    }

    /**
     * The loaded batch's summed loss and correct predictions, forward only, {@link #EVAL_CHUNK}
     * sequences at a time with one running sum: the same value, bit for bit, as one pass over the
     * whole batch ({@code TransformerNetworkTest}), in a fraction of the memory.
     */
    @Override
    public double[] evaluate(int n) {
        Batch b = batch(n);
        int seqLen = b.tokens[0].length;
        double sum = 0;
        int correct = 0, predictions = 0;
        for (int from = 0; from < n; from += EVAL_CHUNK) {
            int m = Math.min(EVAL_CHUNK, n - from);
            Batch c = chunks.computeIfAbsent(((long) m << 32) | seqLen, k -> new Batch(m, seqLen));
            for (int i = 0; i < m; i++) {
                c.tokens[i] = b.tokens[from + i];
                c.labels[i] = b.labels[from + i];
            }
            TransformerWorkspace ws = c.ws();
            sum = model.classes() > 0
                    ? transformer.classifyLossSum(ws, c.tokens, c.labels, lora, sum)
                    : transformer.lmLossSum(ws, c.tokens, lora, sum);
            correct += ws.correct();
            predictions += ws.predictions();
        }
        double mean = sum / predictions;
        return new double[] {mean * predictions, correct};
    }

    /** One per sequence for a classifier, one per next token ({@code seqLen - 1}) for a language model. */
    @Override
    public int predictions(int n) {
        if (model.classes() > 0) return n;
        return n * (batch(n).tokens[0].length - 1);
    }

    @Override
    public void anchorAtCurrent() {
        if (anchor == null) {
            anchor = new ArrayList<>();
            for (float[] p : params) anchor.add(new float[p.length]);
        }
        for (int i = 0; i < params.size(); i++) System.arraycopy(params.get(i), 0, anchor.get(i), 0, params.get(i).length);
    }

    @Override
    public void sgdStep(double learningRate, double momentum, boolean trainA, boolean trainB, double proximalMu) {
        if (proximalMu > 0 && anchor == null) throw new IllegalStateException("a proximal step needs anchorAtCurrent() first");
        float lr = (float) learningRate;
        float mu = (float) momentum;
        float prox = (float) proximalMu;
        for (int k = 0; k < params.size(); k++) {
            if (isA.get(k) && !trainA || isB.get(k) && !trainB) continue;
            float[] p = params.get(k);
            float[] g = grads.get(k);
            float[] v = velocity.get(k);
            float[] start = proximalMu > 0 ? anchor.get(k) : null;
            for (int i = 0; i < p.length; i++) {
                float gi = start == null ? g[i] : g[i] + prox * (p[i] - start[i]);
                if (mu == 0) {
                    p[i] -= lr * gi;
                } else {
                    v[i] = mu * v[i] + gi;
                    p[i] -= lr * v[i];
                }
            }
        }
    }
}
