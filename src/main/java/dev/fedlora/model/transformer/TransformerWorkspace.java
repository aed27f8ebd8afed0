package dev.fedlora.model.transformer;

import java.util.List;

/**
 * Every buffer one {@link Transformer} step needs for a fixed batch shape ({@code batch}
 * sequences of {@code seqLen} tokens) and adapter shape (targets and rank, or no adapter).
 * Forward buffers are allocated when the workspace is made; the language-model logits, the
 * classification buffers and the backward buffers on the first call that needs them. After
 * that, steps allocate nothing. Not thread-safe: one workspace per thread.
 *
 * <p>The last call's results: {@link #loss()}, {@link #correct()} of {@link #predictions()}, and
 * the live {@link #logits()}.
 */
public final class TransformerWorkspace {
    final Layout layout;
    final int batch, seqLen, rows;
    final int rank;
    final List<String> targets;

    // forward, per layer: x[l] is layer l's input, x[layers] the final LayerNorm's input
    final float[][] x, ln1, ln1Mean, ln1Rstd, q, k, v, prob, attn, mid, ln2, ln2Mean, ln2Rstd, up, act,
            geluTanh;
    final float[][] u;               // by linear id: input A^T (rows x rank), null where no adapter
    final float[] hidden, lnfMean, lnfRstd;
    float[] lmLogits;                // rows x vocab
    float[] pooled, classLogits;     // batch x d, batch x classes
    int classes;

    // backward
    float[] dx, dLn, dq, dk, dv, dAttn, dHidden, dAct, dScores, du, dLmLogits, dClassLogits, dPooled;

    double loss;
    int correct, predictions;
    boolean lastWasLm;

    TransformerWorkspace(Layout layout, int batch, int seqLen, TransformerLora shape) {
        TransformerConfig c = layout.config;
        if (batch < 1) throw new IllegalArgumentException("batch must be >= 1, found " + batch);
        if (seqLen < 1 || seqLen > c.contextLength()) {
            throw new IllegalArgumentException("seqLen must be in [1, contextLength=" + c.contextLength() + "], found "
                    + seqLen);
        }
        if ((long) batch * seqLen * Math.max(c.dFF(), c.dModel()) > Integer.MAX_VALUE - 8
                || (long) batch * c.heads() * seqLen * seqLen > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("batch=" + batch + " x seqLen=" + seqLen + " is too large for one array");
        }
        if (shape != null && !shape.config().equals(c)) {
            throw new IllegalArgumentException("adapter is for " + shape.config() + ", the model is " + c);
        }
        this.layout = layout;
        this.batch = batch;
        this.seqLen = seqLen;
        this.rows = batch * seqLen;
        this.rank = shape == null ? 0 : shape.rank();
        this.targets = shape == null ? List.of() : shape.targets();
        int L = c.layers(), d = c.dModel(), f = c.dFF();
        x = new float[L + 1][rows * d];
        ln1 = new float[L][rows * d];
        ln1Mean = new float[L][rows];
        ln1Rstd = new float[L][rows];
        q = new float[L][rows * d];
        k = new float[L][rows * d];
        v = new float[L][rows * d];
        prob = new float[L][batch * c.heads() * seqLen * seqLen];
        attn = new float[L][rows * d];
        mid = new float[L][rows * d];
        ln2 = new float[L][rows * d];
        ln2Mean = new float[L][rows];
        ln2Rstd = new float[L][rows];
        up = new float[L][rows * f];
        act = new float[L][rows * f];
        geluTanh = new float[L][rows * f];
        u = new float[layout.linearNames.size()][];
        if (shape != null) for (int id : shape.targetIds()) u[id] = new float[rows * rank];
        hidden = new float[rows * d];
        lnfMean = new float[rows];
        lnfRstd = new float[rows];
    }

    void ensureLm() {
        if (lmLogits != null) return;
        long values = (long) rows * layout.config.vocabSize();
        if (values > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("language-model logits of batch=" + batch + " x seqLen=" + seqLen
                    + " x vocabSize=" + layout.config.vocabSize() + " are too large for one array");
        }
        lmLogits = new float[(int) values];
    }

    void ensureClassification(int classCount) {
        if (pooled == null || classes != classCount) {
            classes = classCount;
            pooled = new float[batch * layout.config.dModel()];
            classLogits = new float[batch * classCount];
        }
    }

    void ensureBackward() {
        if (dx != null) return;
        int d = layout.config.dModel();
        dx = new float[rows * d];
        dLn = new float[rows * d];
        dq = new float[rows * d];
        dk = new float[rows * d];
        dv = new float[rows * d];
        dAttn = new float[rows * d];
        dHidden = new float[rows * d];
        dAct = new float[rows * layout.config.dFF()];
        dScores = new float[seqLen * seqLen];
        du = new float[rows * Math.max(rank, 1)];
    }

    void ensureLmBackward() {
        ensureBackward();
        if (dLmLogits == null) dLmLogits = new float[lmLogits.length];
    }

    void ensureClassificationBackward() {
        ensureBackward();
        if (dClassLogits == null || dClassLogits.length != classLogits.length) {
            dClassLogits = new float[classLogits.length];
            dPooled = new float[batch * layout.config.dModel()];
        }
    }

    /**
     * Whether this workspace serves this adapter: made for its targets and rank (an adapter
     * without targets, e.g. a head only, fits a workspace made without targets). The base alone
     * (null) fits every workspace.
     */
    boolean fits(TransformerLora lora) {
        if (lora == null) return true;
        return lora.config().equals(layout.config) && (lora.targets() == targets || lora.targets().equals(targets))
                && (targets.isEmpty() || lora.rank() == rank);
    }

    public int batch() { return batch; }
    public int seqLen() { return seqLen; }

    /** Mean loss of the last call. */
    public double loss() { return loss; }

    /** Argmax predictions of the last call that hit their target. */
    public int correct() { return correct; }

    /** Predictions of the last call: batch x (seqLen - 1) for the language model, batch for classification. */
    public int predictions() { return predictions; }

    /**
     * The last call's logits, live: for the language model {@code (batch * seqLen) x vocabSize}
     * row-major (row {@code b * seqLen + t} predicts token {@code t + 1} of sequence {@code b}),
     * for classification {@code batch x classes}.
     */
    public float[] logits() {
        float[] z = lastWasLm ? lmLogits : classLogits;
        if (z == null) throw new IllegalStateException("no step has run on this workspace yet");
        return z;
    }

    /** The final LayerNorm's output of the last call, {@code (batch * seqLen) x dModel}, live. */
    public float[] hidden() { return hidden; }
}
