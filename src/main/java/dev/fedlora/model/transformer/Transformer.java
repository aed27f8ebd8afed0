package dev.fedlora.model.transformer;

import dev.fedlora.kernel.Gemm;
import java.util.Arrays;

/**
 * Forward and backward pass of a {@link TransformerBase} with an optional {@link TransformerLora}
 * (each target linear computes {@code x W^T + b + s (x A^T) B^T}), on a preallocated
 * {@link TransformerWorkspace}, with every matrix product on a {@link Gemm}.
 *
 * <p>Two objectives, both means over the batch:
 * <ul>
 *   <li>causal language modelling: position {@code t < T-1} of each sequence predicts token
 *       {@code t+1}; loss is the mean softmax cross-entropy of {@code logits = h E^T} over those
 *       {@code batch (T-1)} positions;</li>
 *   <li>classification: {@code pooled_b = (1/T) sum_t h_bt} (the final LayerNorm's output),
 *       {@code logits = pooled head.weight^T + head.bias}, mean softmax cross-entropy against one
 *       label per sequence.</li>
 * </ul>
 * The {@code ...ForwardBackward} methods also write gradients of that mean loss, overwriting
 * their holders: into {@code loraGrad} (every target's A and B, and the head) unless it is null,
 * and into {@code baseGrad} (every base tensor: full-parameter training) unless it is null.
 * Whatever has no holder stays frozen; backward stops below the lowest trainable tensor.
 *
 * <p>Element-wise math: by default in double precision with the JDK's {@code exp}; with
 * {@code fastMath} ({@code model.fast-math}) GELU and both softmaxes run in float on
 * {@link FastExp}, several times faster and within about 1e-6 of the default (the products and the
 * LayerNorms are the same either way).
 *
 * <p>Tokens are {@code int[batch][seqLen]} in {@code [0, vocabSize)}. Not thread-safe (the Gemm
 * and the workspace are not); the base may be shared by many instances.
 */
public final class Transformer {
    private static final int PER_LAYER = 6;
    /** Steps of layer l, at {@link #position} {@code 6l + step} (ln1 is 1, ln2 is 4). */
    private static final int QKV = 2, OUT = 3, UP = 5, DOWN = 6;
    /** The output projection or classification head, at {@code 6L + HEAD}. */
    private static final int HEAD = 2;

    private final TransformerBase base;
    private final Layout layout;
    private final Gemm gemm;
    private final int d, heads, headDim, dFF, vocab, layers;
    private final boolean fastMath;

    /** Element-wise math in double precision (the default). */
    public Transformer(TransformerBase base, Gemm gemm) {
        this(base, gemm, false);
    }

    /** @param fastMath GELU and the softmaxes in float on {@link FastExp} ({@code model.fast-math}) */
    public Transformer(TransformerBase base, Gemm gemm, boolean fastMath) {
        this.fastMath = fastMath;
        this.base = base;
        this.layout = base.layout();
        this.gemm = gemm;
        TransformerConfig c = layout.config;
        this.d = c.dModel();
        this.heads = c.heads();
        this.headDim = c.headDim();
        this.dFF = c.dFF();
        this.vocab = c.vocabSize();
        this.layers = c.layers();
    }

    public TransformerBase base() { return base; }

    public boolean fastMath() { return fastMath; }

    /**
     * Buffers for steps on {@code batch} sequences of {@code seqLen} tokens with adapters shaped
     * like {@code lora} (null: the base alone, or a head without targets).
     * @throws IllegalArgumentException if batch < 1, seqLen is outside [1, contextLength], or the
     *     adapter belongs to another config
     */
    public TransformerWorkspace workspace(int batch, int seqLen, TransformerLora lora) {
        return new TransformerWorkspace(layout, batch, seqLen, lora);
    }

    /** Causal language-model loss (forward only); see {@link TransformerWorkspace#correct()}. */
    public double lmLoss(TransformerWorkspace ws, int[][] tokens, TransformerLora lora) {
        checkLm(ws, tokens, lora);
        forwardBody(ws, tokens, lora);
        return lmHead(ws, tokens, false);
    }

    /**
     * Forward only, for evaluating many sequences a few at a time: adds the loss of each of this
     * batch's predictions to {@code runningSum}, one at a time in order, and returns the sum, so
     * that consecutive chunks give bit for bit the sum of one call over all their sequences (each
     * sequence's computation does not depend on the others in its batch).
     * {@link TransformerWorkspace#correct()} and {@code predictions()} are this chunk's.
     */
    public double lmLossSum(TransformerWorkspace ws, int[][] tokens, TransformerLora lora, double runningSum) {
        checkLm(ws, tokens, lora);
        forwardBody(ws, tokens, lora);
        return lmHeadSum(ws, tokens, false, runningSum);
    }

    /**
     * Causal language-model loss and its gradients.
     * @throws IllegalArgumentException if both gradient holders are null or either has the wrong
     *     shape, besides the checks of {@link #lmLoss}
     */
    public double lmForwardBackward(TransformerWorkspace ws, int[][] tokens, TransformerLora lora,
                                    TransformerLora loraGrad, TransformerBase baseGrad) {
        checkLm(ws, tokens, lora);
        checkGradients(lora, loraGrad, baseGrad);
        forwardBody(ws, tokens, lora);
        double loss = lmHead(ws, tokens, true);
        int lowest = lowestTrainable(lora, loraGrad, baseGrad, false);
        clear(loraGrad, baseGrad);
        if (baseGrad != null) {
            // tied output projection: dE = dLogits^T h (the input embedding's part is added later)
            gemm.sgemm(true, false, vocab, d, ws.rows, 1f, ws.dLmLogits, 0, vocab, ws.hidden, 0, d,
                    0f, baseGrad.tensor(Layout.TOKEN), 0, d);
        }
        if (lowest < position(layers, HEAD)) {
            gemm.sgemm(false, false, ws.rows, d, vocab, 1f, ws.dLmLogits, 0, vocab, base.tensor(Layout.TOKEN), 0, d,
                    0f, ws.dHidden, 0, d);
            backwardBody(ws, tokens, lora, loraGrad, baseGrad, lowest);
        }
        return loss;
    }

    /**
     * Classification loss (forward only); {@code lora} must have a head.
     * @throws IllegalArgumentException for a missing head, labels of the wrong count or outside
     *     {@code [0, classes)}, besides the token and workspace checks
     */
    public double classifyLoss(TransformerWorkspace ws, int[][] tokens, int[] labels, TransformerLora lora) {
        checkClassification(ws, tokens, labels, lora);
        forwardBody(ws, tokens, lora);
        return classificationHead(ws, labels, lora, false);
    }

    /** {@link #lmLossSum} for classification: one prediction per sequence. */
    public double classifyLossSum(TransformerWorkspace ws, int[][] tokens, int[] labels, TransformerLora lora,
                                  double runningSum) {
        checkClassification(ws, tokens, labels, lora);
        forwardBody(ws, tokens, lora);
        return classificationHeadSum(ws, labels, lora, false, runningSum);
    }

    /** Classification loss and its gradients (see the class comment). */
    public double classifyForwardBackward(TransformerWorkspace ws, int[][] tokens, int[] labels, TransformerLora lora,
                                          TransformerLora loraGrad, TransformerBase baseGrad) {
        checkClassification(ws, tokens, labels, lora);
        checkGradients(lora, loraGrad, baseGrad);
        forwardBody(ws, tokens, lora);
        double loss = classificationHead(ws, labels, lora, true);
        int lowest = lowestTrainable(lora, loraGrad, baseGrad, true);
        clear(loraGrad, baseGrad);
        int batch = ws.batch, classes = lora.classes();
        if (loraGrad != null) {
            gemm.sgemm(true, false, classes, d, batch, 1f, ws.dClassLogits, 0, classes, ws.pooled, 0, d,
                    0f, loraGrad.headWeight(), 0, d);
            columnSums(ws.dClassLogits, batch, classes, loraGrad.headBias());
        }
        if (lowest < position(layers, HEAD)) {
            gemm.sgemm(false, false, batch, d, classes, 1f, ws.dClassLogits, 0, classes, lora.headWeight(), 0, d,
                    0f, ws.dPooled, 0, d);
            float invT = 1f / ws.seqLen;
            for (int b = 0; b < batch; b++) {
                for (int t = 0; t < ws.seqLen; t++) {
                    int row = (b * ws.seqLen + t) * d;
                    for (int j = 0; j < d; j++) ws.dHidden[row + j] = ws.dPooled[b * d + j] * invT;
                }
            }
            backwardBody(ws, tokens, lora, loraGrad, baseGrad, lowest);
        }
        return loss;
    }

    // ---- forward ---------------------------------------------------------------------------

    /** Embeddings, every block, the final LayerNorm into {@code ws.hidden}. */
    private void forwardBody(TransformerWorkspace ws, int[][] tokens, TransformerLora lora) {
        float[] tokenE = base.tensor(Layout.TOKEN), posE = base.tensor(Layout.POSITION);
        float[] x0 = ws.x[0];
        for (int b = 0; b < ws.batch; b++) {
            for (int t = 0; t < ws.seqLen; t++) {
                int row = (b * ws.seqLen + t) * d, tok = tokens[b][t] * d, pos = t * d;
                for (int j = 0; j < d; j++) x0[row + j] = tokenE[tok + j] + posE[pos + j];
            }
        }
        for (int l = 0; l < layers; l++) block(ws, l, lora);
        LayerNorm.forward(ws.x[layers], ws.hidden, ws.lnfMean, ws.lnfRstd, base.tensor(layout.finalGain()),
                base.tensor(layout.finalBias()), ws.rows, d);
    }

    private void block(TransformerWorkspace ws, int l, TransformerLora lora) {
        LayerNorm.forward(ws.x[l], ws.ln1[l], ws.ln1Mean[l], ws.ln1Rstd[l], base.tensor(Layout.ln1Gain(l)),
                base.tensor(Layout.ln1Bias(l)), ws.rows, d);
        linearForward(ws, Layout.linear(l, Layout.Q), ws.ln1[l], null, ws.q[l], lora);
        linearForward(ws, Layout.linear(l, Layout.K), ws.ln1[l], null, ws.k[l], lora);
        linearForward(ws, Layout.linear(l, Layout.V), ws.ln1[l], null, ws.v[l], lora);
        CausalSelfAttention.forward(gemm, ws.q[l], ws.k[l], ws.v[l], ws.prob[l], ws.attn[l],
                ws.batch, ws.seqLen, heads, headDim, fastMath);
        linearForward(ws, Layout.linear(l, Layout.O), ws.attn[l], ws.x[l], ws.mid[l], lora);
        LayerNorm.forward(ws.mid[l], ws.ln2[l], ws.ln2Mean[l], ws.ln2Rstd[l], base.tensor(Layout.ln2Gain(l)),
                base.tensor(Layout.ln2Bias(l)), ws.rows, d);
        linearForward(ws, Layout.linear(l, Layout.UP), ws.ln2[l], null, ws.up[l], lora);
        if (fastMath) Gelu.forwardFast(ws.up[l], ws.act[l], ws.geluTanh[l], ws.rows * dFF);
        else Gelu.forward(ws.up[l], ws.act[l], ws.geluTanh[l], ws.rows * dFF);
        linearForward(ws, Layout.linear(l, Layout.DOWN), ws.act[l], ws.mid[l], ws.x[l + 1], lora);
    }

    /**
     * {@code out = residual + input W^T + b + s (input A^T) B^T}; {@code residual} may be null,
     * the adapter term is there when the layer is a target.
     */
    private void linearForward(TransformerWorkspace ws, int linear, float[] input, float[] residual, float[] out,
                               TransformerLora lora) {
        int in = layout.in(linear), outDim = layout.out(linear), rows = ws.rows;
        float[] bias = base.tensor(Layout.bias(linear));
        for (int r = 0; r < rows; r++) {
            int o = r * outDim;
            if (residual == null) System.arraycopy(bias, 0, out, o, outDim);
            else for (int j = 0; j < outDim; j++) out[o + j] = residual[o + j] + bias[j];
        }
        gemm.sgemm(false, true, rows, outDim, in, 1f, input, 0, in, base.tensor(Layout.weight(linear)), 0, in,
                1f, out, 0, outDim);
        float[] a = lora == null ? null : lora.aAt(linear);
        if (a == null) return;
        int r = lora.rank();
        float[] u = ws.u[linear];
        gemm.sgemm(false, true, rows, r, in, 1f, input, 0, in, a, 0, in, 0f, u, 0, r);
        gemm.sgemm(false, true, rows, outDim, r, lora.scale(), u, 0, r, lora.bAt(linear), 0, r, 1f, out, 0, outDim);
    }

    /** Language-model logits, loss and (when asked) dLogits; fills the workspace's statistics. */
    private double lmHead(TransformerWorkspace ws, int[][] tokens, boolean backward) {
        double sum = lmHeadSum(ws, tokens, backward, 0);
        ws.loss = sum / ws.predictions;
        return ws.loss;
    }

    /** {@code start} plus the loss of every prediction, added in order; fills the workspace's statistics. */
    private double lmHeadSum(TransformerWorkspace ws, int[][] tokens, boolean backward, double start) {
        ws.ensureLm();
        if (backward) ws.ensureLmBackward();
        int T = ws.seqLen;
        gemm.sgemm(false, true, ws.rows, vocab, d, 1f, ws.hidden, 0, d, base.tensor(Layout.TOKEN), 0, d,
                0f, ws.lmLogits, 0, vocab);
        int count = ws.batch * (T - 1);
        float weight = 1f / count;
        float[] dz = backward ? ws.dLmLogits : null;
        double sum = start;
        int correct = 0;
        for (int b = 0; b < ws.batch; b++) {
            for (int t = 0; t < T - 1; t++) {
                int off = (b * T + t) * vocab, target = tokens[b][t + 1];
                sum += fastMath ? SoftmaxCrossEntropy.rowFast(ws.lmLogits, off, vocab, target, dz, weight)
                        : SoftmaxCrossEntropy.row(ws.lmLogits, off, vocab, target, dz, weight);
                if (SoftmaxCrossEntropy.argmax(ws.lmLogits, off, vocab) == target) correct++;
            }
            if (dz != null) Arrays.fill(dz, (b * T + T - 1) * vocab, (b * T + T) * vocab, 0f);
        }
        record(ws, (sum - start) / count, correct, count, true);
        return sum;
    }

    private double classificationHead(TransformerWorkspace ws, int[] labels, TransformerLora lora, boolean backward) {
        double sum = classificationHeadSum(ws, labels, lora, backward, 0);
        ws.loss = sum / ws.predictions;
        return ws.loss;
    }

    private double classificationHeadSum(TransformerWorkspace ws, int[] labels, TransformerLora lora, boolean backward,
                                         double start) {
        int classes = lora.classes(), batch = ws.batch, T = ws.seqLen;
        ws.ensureClassification(classes);
        if (backward) ws.ensureClassificationBackward();
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int t = 0; t < T; t++) s += ws.hidden[(b * T + t) * d + j];
                ws.pooled[b * d + j] = (float) (s / T);
            }
            System.arraycopy(lora.headBias(), 0, ws.classLogits, b * classes, classes);
        }
        gemm.sgemm(false, true, batch, classes, d, 1f, ws.pooled, 0, d, lora.headWeight(), 0, d,
                1f, ws.classLogits, 0, classes);
        float[] dz = backward ? ws.dClassLogits : null;
        double sum = start;
        int correct = 0;
        for (int b = 0; b < batch; b++) {
            sum += fastMath ? SoftmaxCrossEntropy.rowFast(ws.classLogits, b * classes, classes, labels[b], dz, 1f / batch)
                    : SoftmaxCrossEntropy.row(ws.classLogits, b * classes, classes, labels[b], dz, 1f / batch);
            if (SoftmaxCrossEntropy.argmax(ws.classLogits, b * classes, classes) == labels[b]) correct++;
        }
        record(ws, (sum - start) / batch, correct, batch, false);
        return sum;
    }

    private static void record(TransformerWorkspace ws, double loss, int correct, int predictions, boolean lm) {
        ws.loss = loss;
        ws.correct = correct;
        ws.predictions = predictions;
        ws.lastWasLm = lm;
    }

    // ---- backward --------------------------------------------------------------------------

    /**
     * Position of a step in forward order, for "is anything trainable below here": embeddings 0,
     * layer l's ln1, qkv, o, ln2, up, down at {@code 6l + 1..6}, the final LayerNorm at
     * {@code 6L + 1}, the output projection or head at {@code 6L + 2}.
     */
    private static int position(int layer, int step) {
        return PER_LAYER * layer + step;
    }

    private int lowestTrainable(TransformerLora lora, TransformerLora loraGrad, TransformerBase baseGrad,
                                boolean classification) {
        if (baseGrad != null) return 0;
        int lowest = Integer.MAX_VALUE;
        if (loraGrad == null) return lowest;
        if (classification) lowest = position(layers, HEAD);
        for (int id : lora.targetIds()) lowest = Math.min(lowest, linearPosition(id));
        return lowest;
    }

    private static int linearPosition(int linear) {
        int kind = Layout.kindOf(linear), layer = Layout.layerOf(linear);
        return position(layer, kind <= Layout.V ? QKV : kind == Layout.O ? OUT : kind == Layout.UP ? UP : DOWN);
    }

    /** From {@code ws.dHidden} (the final LayerNorm's output gradient) down to {@code lowest}. */
    private void backwardBody(TransformerWorkspace ws, int[][] tokens, TransformerLora lora, TransformerLora loraGrad,
                              TransformerBase baseGrad, int lowest) {
        boolean full = baseGrad != null;
        Arrays.fill(ws.dx, 0f);
        LayerNorm.backward(ws.dHidden, ws.x[layers], ws.lnfMean, ws.lnfRstd, base.tensor(layout.finalGain()), ws.dx,
                full ? baseGrad.tensor(layout.finalGain()) : null, full ? baseGrad.tensor(layout.finalBias()) : null,
                ws.rows, d);
        for (int l = layers - 1; l >= 0 && lowest <= position(l, DOWN); l--) {
            blockBackward(ws, l, lora, loraGrad, baseGrad, lowest);
        }
        if (full) embeddingBackward(ws, tokens, baseGrad);
    }

    private void blockBackward(TransformerWorkspace ws, int l, TransformerLora lora, TransformerLora loraGrad,
                               TransformerBase baseGrad, int lowest) {
        boolean full = baseGrad != null;
        int rows = ws.rows;
        // MLP: x[l+1] = mid + down(gelu(up(ln2(mid)))); ws.dx holds dL/dx[l+1] = dL/d(down output)
        linearBackward(ws, Layout.linear(l, Layout.DOWN), ws.act[l], ws.dx, ws.dAct, false,
                lowest < position(l, DOWN), lora, loraGrad, baseGrad);
        if (lowest >= position(l, DOWN)) return;
        Gelu.backward(ws.up[l], ws.geluTanh[l], ws.dAct, ws.dAct, rows * dFF);
        linearBackward(ws, Layout.linear(l, Layout.UP), ws.ln2[l], ws.dAct, ws.dLn, false,
                lowest < position(l, UP), lora, loraGrad, baseGrad);
        if (lowest >= position(l, UP)) return;
        LayerNorm.backward(ws.dLn, ws.mid[l], ws.ln2Mean[l], ws.ln2Rstd[l], base.tensor(Layout.ln2Gain(l)), ws.dx,
                full ? baseGrad.tensor(Layout.ln2Gain(l)) : null, full ? baseGrad.tensor(Layout.ln2Bias(l)) : null,
                rows, d);
        // attention: mid = x[l] + o(attn(q, k, v)); ws.dx now holds dL/dmid
        linearBackward(ws, Layout.linear(l, Layout.O), ws.attn[l], ws.dx, ws.dAttn, false,
                lowest < position(l, OUT), lora, loraGrad, baseGrad);
        if (lowest >= position(l, OUT)) return;
        CausalSelfAttention.backward(gemm, ws.q[l], ws.k[l], ws.v[l], ws.prob[l], ws.dAttn, ws.dq, ws.dk, ws.dv,
                ws.dScores, ws.batch, ws.seqLen, heads, headDim);
        boolean below = lowest < position(l, QKV);
        linearBackward(ws, Layout.linear(l, Layout.Q), ws.ln1[l], ws.dq, ws.dLn, false, below, lora, loraGrad, baseGrad);
        linearBackward(ws, Layout.linear(l, Layout.K), ws.ln1[l], ws.dk, ws.dLn, true, below, lora, loraGrad, baseGrad);
        linearBackward(ws, Layout.linear(l, Layout.V), ws.ln1[l], ws.dv, ws.dLn, true, below, lora, loraGrad, baseGrad);
        if (!below) return;
        LayerNorm.backward(ws.dLn, ws.x[l], ws.ln1Mean[l], ws.ln1Rstd[l], base.tensor(Layout.ln1Gain(l)), ws.dx,
                full ? baseGrad.tensor(Layout.ln1Gain(l)) : null, full ? baseGrad.tensor(Layout.ln1Bias(l)) : null,
                rows, d);
    }

    /**
     * Gradients of {@code out = input W^T + b + s (input A^T) B^T} given {@code dOut}:
     * {@code dW = dOut^T input}, {@code db = sum_rows dOut} (full mode);
     * {@code dB = s dOut^T u}, {@code du = s dOut B}, {@code dA = du^T input} (target with a
     * gradient holder); {@code dInput (+)= dOut W + du A} when {@code inputGrad}.
     */
    private void linearBackward(TransformerWorkspace ws, int linear, float[] input, float[] dOut, float[] dIn,
                                boolean accumulate, boolean inputGrad, TransformerLora lora, TransformerLora loraGrad,
                                TransformerBase baseGrad) {
        int in = layout.in(linear), out = layout.out(linear), rows = ws.rows;
        if (baseGrad != null) {
            gemm.sgemm(true, false, out, in, rows, 1f, dOut, 0, out, input, 0, in, 0f,
                    baseGrad.tensor(Layout.weight(linear)), 0, in);
            columnSums(dOut, rows, out, baseGrad.tensor(Layout.bias(linear)));
        }
        if (inputGrad) {
            gemm.sgemm(false, false, rows, in, out, 1f, dOut, 0, out, base.tensor(Layout.weight(linear)), 0, in,
                    accumulate ? 1f : 0f, dIn, 0, in);
        }
        float[] a = lora == null ? null : lora.aAt(linear);
        boolean train = loraGrad != null && a != null;
        if (a == null || !(train || inputGrad)) return;
        int r = lora.rank();
        float s = lora.scale();
        gemm.sgemm(false, false, rows, r, out, s, dOut, 0, out, lora.bAt(linear), 0, r, 0f, ws.du, 0, r);
        if (train) {
            gemm.sgemm(true, false, out, r, rows, s, dOut, 0, out, ws.u[linear], 0, r, 0f, loraGrad.bAt(linear), 0, r);
            gemm.sgemm(true, false, r, in, rows, 1f, ws.du, 0, r, input, 0, in, 0f, loraGrad.aAt(linear), 0, in);
        }
        if (inputGrad) gemm.sgemm(false, false, rows, in, r, 1f, ws.du, 0, r, a, 0, in, 1f, dIn, 0, in);
    }

    /** Full mode: {@code dE[token] += dx0}, {@code dP[t] = sum_b dx0[b, t]}. */
    private void embeddingBackward(TransformerWorkspace ws, int[][] tokens, TransformerBase baseGrad) {
        float[] gE = baseGrad.tensor(Layout.TOKEN), gP = baseGrad.tensor(Layout.POSITION);
        for (int b = 0; b < ws.batch; b++) {
            for (int t = 0; t < ws.seqLen; t++) {
                int row = (b * ws.seqLen + t) * d, tok = tokens[b][t] * d, pos = t * d;
                for (int j = 0; j < d; j++) {
                    gE[tok + j] += ws.dx[row + j];
                    gP[pos + j] += ws.dx[row + j];
                }
            }
        }
    }

    private static void columnSums(float[] m, int rows, int cols, float[] out) {
        for (int j = 0; j < cols; j++) {
            double s = 0;
            for (int r = 0; r < rows; r++) s += m[r * cols + j];
            out[j] = (float) s;
        }
    }

    private static void clear(TransformerLora loraGrad, TransformerBase baseGrad) {
        if (loraGrad != null) loraGrad.clear();
        if (baseGrad != null) baseGrad.clear(); // LayerNorm and embedding gradients accumulate into it
    }

    // ---- checks ----------------------------------------------------------------------------

    private void checkLm(TransformerWorkspace ws, int[][] tokens, TransformerLora lora) {
        checkInputs(ws, tokens, lora);
        if (ws.seqLen < 2) {
            throw new IllegalArgumentException("causal language modelling needs seqLen >= 2, found " + ws.seqLen);
        }
    }

    private void checkClassification(TransformerWorkspace ws, int[][] tokens, int[] labels, TransformerLora lora) {
        checkInputs(ws, tokens, lora);
        if (lora == null || !lora.hasHead()) {
            throw new IllegalArgumentException("classification needs an adapter with a head (classes >= 2)");
        }
        if (labels == null || labels.length != ws.batch) {
            throw new IllegalArgumentException("labels must have batch=" + ws.batch + " entries, found "
                    + (labels == null ? "null" : labels.length));
        }
        for (int b = 0; b < labels.length; b++) {
            if (labels[b] < 0 || labels[b] >= lora.classes()) {
                throw new IllegalArgumentException("labels[" + b + "] = " + labels[b] + " is outside [0, "
                        + lora.classes() + ")");
            }
        }
    }

    private void checkInputs(TransformerWorkspace ws, int[][] tokens, TransformerLora lora) {
        if (!ws.layout.config.equals(layout.config)) {
            throw new IllegalArgumentException("workspace is for " + ws.layout.config + ", the model is " + layout.config);
        }
        if (!ws.fits(lora)) {
            throw new IllegalArgumentException("workspace was made for targets " + ws.targets + " at rank " + ws.rank
                    + ", the adapter has targets " + lora.targets() + " at rank " + lora.rank());
        }
        if (tokens == null || tokens.length != ws.batch) {
            throw new IllegalArgumentException("tokens must have batch=" + ws.batch + " rows, found "
                    + (tokens == null ? "null" : tokens.length));
        }
        for (int b = 0; b < tokens.length; b++) {
            if (tokens[b] == null || tokens[b].length != ws.seqLen) {
                throw new IllegalArgumentException("tokens[" + b + "] must have seqLen=" + ws.seqLen + " tokens, found "
                        + (tokens[b] == null ? "null" : tokens[b].length));
            }
            for (int t = 0; t < ws.seqLen; t++) {
                if (tokens[b][t] < 0 || tokens[b][t] >= vocab) {
                    throw new IllegalArgumentException("tokens[" + b + "][" + t + "] = " + tokens[b][t]
                            + " is outside the vocabulary [0, " + vocab + ")");
                }
            }
        }
    }

    private void checkGradients(TransformerLora lora, TransformerLora loraGrad, TransformerBase baseGrad) {
        if (loraGrad == null && baseGrad == null) {
            throw new IllegalArgumentException("nothing to differentiate: loraGrad and baseGrad are both null");
        }
        if (loraGrad != null && (lora == null || !lora.sameShape(loraGrad))) {
            throw new IllegalArgumentException("loraGrad must have the adapter's shape (targets, rank, classes)");
        }
        if (baseGrad != null && !baseGrad.config().equals(layout.config)) {
            throw new IllegalArgumentException("baseGrad is for " + baseGrad.config() + ", the model is " + layout.config);
        }
        if (baseGrad == base) throw new IllegalArgumentException("baseGrad must not be the model's own base");
    }
}
