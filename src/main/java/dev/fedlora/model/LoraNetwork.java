package dev.fedlora.model;

import dev.fedlora.data.Examples;
import dev.fedlora.data.LabeledImages;
import dev.fedlora.kernel.Gemm;
import dev.fedlora.kernel.OpenBlasGemm;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * Forward and backward pass of a LoRA-adapted {@link MlpModel}. Hidden layer {@code l}
 * computes {@code h_{l+1} = relu(h_l W_l^T + b_l + s (h_l A_l^T) B_l^T)} (the LoRA term only on
 * layers that are targets), the head {@code logits = h_L W^T + bias}, the loss is mean softmax
 * cross-entropy.
 *
 * <p>All buffers are direct (native) buffers allocated when the network is built (one set per
 * batch size used), so a training step allocates nothing: matrix products and the optimiser's
 * saxpy go straight to BLAS through this network's own {@link Gemm} (single-threaded OpenBLAS,
 * the same {@code cblas_sgemm} ND4J calls, without ND4J's per-operation machinery), element-wise
 * work runs in Java over the same memory. The frozen first layer's products of a data set come
 * from the once-per-JVM {@link FirstLayerProjection}.
 */
public final class LoraNetwork implements TrainableNetwork {
    private final MlpModel model;
    private final MlpShape shape;
    private final AdapterLayout layout;
    private final int rank;
    private final float scale;
    private final FrozenBase base;
    private final Gemm gemm = new OpenBlasGemm();
    private final int layers;
    /** The lowest hidden layer with an adapter: no gradient flows below it. */
    private final int lowestTarget;

    /** Per hidden layer; null where the layer has no adapter. */
    private final FloatBuffer[] a, b, gradA, gradB, velA, velB;
    private final FloatBuffer headW, headB, gradHeadW, gradHeadB, velHeadW, velHeadB;
    /** FedProx's anchor (the client's start), allocated on first use. */
    private FloatBuffer[] anchorA, anchorB;
    private FloatBuffer anchorHeadW, anchorHeadB;
    private final Map<Integer, Batch> batches = new HashMap<>();
    private final double[] lossCorrect = new double[2];
    /** The data set of the last batch and its first-layer projection, so a step does not look it up again. */
    private Examples projected;
    private LabeledImages projectedImages;
    private float[] projection;

    /** Activations and gradients for one batch size. */
    private final class Batch {
        final int n;
        final FloatBuffer[] h;    // h[0] = x, h[l+1] = relu(z_l) (written in place of z_l)
        final FloatBuffer[] u;    // u_l = h_l A_l^T (n x r), on adapted layers
        final FloatBuffer[] dh;   // gradient w.r.t. h[l+1]; masked in place to become dz_l
        final FloatBuffer[] du;
        /** Heap copies for Java's element-wise work: hHeap[l+1] = h[l+1] after the ReLU, dzHeap a scratch row block. */
        final float[][] hHeap;
        final float[] dzHeap;
        final FloatBuffer logits, dLogits;
        final int[] labels;
        final float[] stage;
        boolean firstLayerLoaded;

        Batch(int n) {
            this.n = n;
            h = new FloatBuffer[layers + 1];
            u = new FloatBuffer[layers];
            dh = new FloatBuffer[layers];
            du = new FloatBuffer[layers];
            hHeap = new float[layers + 1][];
            int widest = 0;
            h[0] = zeros(n * shape.inputs());
            for (int l = 0; l < layers; l++) {
                h[l + 1] = zeros(n * shape.out(l));
                hHeap[l + 1] = new float[n * shape.out(l)];
                widest = Math.max(widest, n * shape.out(l));
                dh[l] = zeros(n * shape.out(l));
                if (a[l] != null) {
                    u[l] = zeros(n * rank);
                    du[l] = zeros(n * rank);
                }
            }
            dzHeap = new float[widest];
            logits = zeros(n * shape.classes());
            dLogits = zeros(n * shape.classes());
            labels = new int[n];
            stage = new float[n * shape.inputs()];
        }
    }

    LoraNetwork(MlpModel model, int rank, float scale) {
        this.model = model;
        this.shape = model.shape();
        this.layout = model.layout();
        this.rank = rank;
        this.scale = scale;
        this.layers = shape.adaptedLayers();
        this.base = FrozenBase.of(model.base(), shape);
        a = new FloatBuffer[layers];
        b = new FloatBuffer[layers];
        gradA = new FloatBuffer[layers];
        gradB = new FloatBuffer[layers];
        velA = new FloatBuffer[layers];
        velB = new FloatBuffer[layers];
        int lowest = layers;
        for (int l = layers - 1; l >= 0; l--) {
            if (model.targetOfLayer(l) == null) continue;
            lowest = l;
            a[l] = zeros(rank * shape.in(l));
            b[l] = zeros(shape.out(l) * rank);
            gradA[l] = zeros(rank * shape.in(l));
            gradB[l] = zeros(shape.out(l) * rank);
            velA[l] = zeros(rank * shape.in(l));
            velB[l] = zeros(shape.out(l) * rank);
        }
        lowestTarget = lowest;
        int head = shape.classes() * shape.lastHidden();
        headW = zeros(head);
        headB = zeros(shape.classes());
        gradHeadW = zeros(head);
        gradHeadB = zeros(shape.classes());
        velHeadW = zeros(head);
        velHeadB = zeros(shape.classes());
    }

    private static FloatBuffer zeros(int values) {
        return Gemm.allocate(values);
    }

    @Override
    public int rank() { return rank; }

    @Override
    public void load(Adapter p) {
        if (p.rank != rank || !p.layout.equals(layout)) {
            throw new IllegalArgumentException("parameters of rank " + p.rank + " for a network of rank " + rank);
        }
        for (int l = 0; l < layers; l++) {
            LoraTarget t = model.targetOfLayer(l);
            if (t == null) continue;
            a[l].put(0, p.a(t));
            b[l].put(0, p.b(t));
            clear(velA[l]);
            clear(velB[l]);
        }
        headW.put(0, p.dense(model.headWeight()));
        headB.put(0, p.dense(model.headBias()));
        clear(velHeadW);
        clear(velHeadB);
    }

    /** Zeros, copied in bulk: one element at a time, zeroing the velocities was a visible part of a client's cost. */
    private static final float[] ZEROS = new float[8192];

    private static void clear(FloatBuffer x) {
        for (int i = 0, n = x.capacity(); i < n; i += ZEROS.length) x.put(i, ZEROS, 0, Math.min(ZEROS.length, n - i));
    }

    @Override
    public Adapter store() {
        return copyOut(a, b, headW, headB);
    }

    @Override
    public Adapter gradients() {
        return copyOut(gradA, gradB, gradHeadW, gradHeadB);
    }

    private Adapter copyOut(FloatBuffer[] fa, FloatBuffer[] fb, FloatBuffer hw, FloatBuffer hb) {
        Adapter p = new Adapter(layout, rank);
        for (int l = 0; l < layers; l++) {
            LoraTarget t = model.targetOfLayer(l);
            if (t == null) continue;
            fa[l].get(0, p.a(t));
            fb[l].get(0, p.b(t));
        }
        hw.get(0, p.dense(model.headWeight()));
        hb.get(0, p.dense(model.headBias()));
        return p;
    }

    private Batch batch(int n) {
        return batches.computeIfAbsent(n, Batch::new);
    }

    /**
     * Loads examples {@code idx[from..from+n)} of {@code data} as the current batch of size n, the
     * first layer's frozen product taken from the data set's {@link FirstLayerProjection}.
     */
    @Override
    public void loadBatch(Examples data, int[] idx, int from, int n) {
        if (data != projected) {
            LabeledImages images = MlpModel.images(data);
            projection = FirstLayerProjection.of(model.base(), images);
            projectedImages = images;
            projected = data;
        }
        loadBatch(projectedImages, projection, idx, from, n);
    }

    /**
     * Loads examples {@code idx[from..from+n)} of {@code data} as the current batch of size n.
     * @param firstLayer the data set's {@link FirstLayerProjection} under this network's base, or
     *     null to compute the first layer's frozen product per batch
     */
    public void loadBatch(LabeledImages data, float[] firstLayer, int[] idx, int from, int n) {
        Batch bt = batch(n);
        int in = shape.inputs();
        for (int i = 0; i < n; i++) {
            data.copyFeatures(idx[from + i], bt.stage, i * in);
            bt.labels[i] = data.label(idx[from + i]);
        }
        bt.h[0].put(0, bt.stage, 0, n * in);
        bt.firstLayerLoaded = firstLayer != null;
        if (firstLayer != null) {
            int out = shape.out(0);
            FloatBuffer z = bt.h[1];
            for (int i = 0; i < n; i++) z.put(i * out, firstLayer, idx[from + i] * out, out);
        }
    }

    /** Loads an explicit batch (row-major n x inputs) with its labels. */
    public void loadBatch(float[] x, int[] labels, int n) {
        Batch bt = batch(n);
        bt.h[0].put(0, x, 0, n * shape.inputs());
        System.arraycopy(labels, 0, bt.labels, 0, n);
        bt.firstLayerLoaded = false;
    }

    /** {@code C = alpha op(A) op(B) + beta C} for whole row-major matrices (leading dimension = stored columns). */
    private void gemm(FloatBuffer x, FloatBuffer y, FloatBuffer c, boolean transX, boolean transY,
                      int m, int n, int k, float alpha, float beta) {
        gemm.sgemm(transX, transY, m, n, k, alpha, x, 0, transX ? m : k, y, 0, transY ? k : n, beta, c, 0, n);
    }

    /**
     * The forward pass. Element-wise work (bias, ReLU) runs on heap copies of the layer's output
     * (bulk copies are cheap next to per-element access to native memory), in the same order as
     * ever: {@code relu((x W^T + b) + s (x A^T) B^T)}.
     */
    private void forward(Batch bt) {
        int n = bt.n;
        for (int l = 0; l < layers; l++) {
            FloatBuffer z = bt.h[l + 1];
            float[] zh = bt.hHeap[l + 1];
            int in = shape.in(l);
            int out = shape.out(l);
            int size = n * out;
            if (l > 0 || !bt.firstLayerLoaded) {
                gemm(bt.h[l], base.weights[l], z, false, true, n, out, in, 1f, 0f);
                float[] bias = base.biases[l];
                z.get(0, zh, 0, size);
                for (int i = 0; i < n; i++) {
                    int row = i * out;
                    for (int j = 0; j < out; j++) zh[row + j] += bias[j];
                }
                if (a[l] != null) z.put(0, zh, 0, size);
            }
            if (a[l] != null) {
                gemm(bt.h[l], a[l], bt.u[l], false, true, n, rank, in, 1f, 0f);
                gemm(bt.u[l], b[l], z, false, true, n, out, rank, scale, 1f);
                z.get(0, zh, 0, size);
            } else if (l == 0 && bt.firstLayerLoaded) {
                z.get(0, zh, 0, size);
            }
            for (int i = 0; i < size; i++) {
                if (zh[i] < 0f) zh[i] = 0f;
            }
            z.put(0, zh, 0, size);
        }
        int c = shape.classes();
        gemm(bt.h[layers], headW, bt.logits, false, true, n, c, shape.lastHidden(), 1f, 0f);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < c; k++) bt.logits.put(i * c + k, bt.logits.get(i * c + k) + headB.get(k));
        }
    }

    /**
     * Softmax cross-entropy of the current logits; writes {@code dLoss/dLogits} of the mean loss.
     * @return the summed (not averaged) loss and the number of correct predictions, in {@code out}
     */
    private void lossAndGradient(Batch bt, double[] out) {
        int c = shape.classes();
        FloatBuffer lg = bt.logits;
        FloatBuffer dl = bt.dLogits;
        double loss = 0;
        int correct = 0;
        float invN = 1f / bt.n;
        for (int i = 0; i < bt.n; i++) {
            int row = i * c;
            float max = lg.get(row);
            int argmax = 0;
            for (int k = 1; k < c; k++) {
                float v = lg.get(row + k);
                if (v > max) { max = v; argmax = k; }
            }
            double sum = 0;
            for (int k = 0; k < c; k++) sum += Math.exp(lg.get(row + k) - max);
            int y = bt.labels[i];
            loss += Math.log(sum) - (lg.get(row + y) - max);
            if (argmax == y) correct++;
            for (int k = 0; k < c; k++) {
                float p = (float) (Math.exp(lg.get(row + k) - max) / sum);
                dl.put(row + k, (p - (k == y ? 1f : 0f)) * invN);
            }
        }
        out[0] = loss;
        out[1] = correct;
    }

    @Override
    public double forwardBackward(int n) {
        Batch bt = batch(n);
        forward(bt);
        lossAndGradient(bt, lossCorrect);
        backward(bt);
        return lossCorrect[0];
    }

    private void backward(Batch bt) {
        int n = bt.n;
        int c = shape.classes();
        int last = shape.lastHidden();
        gemm(bt.dLogits, bt.h[layers], gradHeadW, true, false, c, last, n, 1f, 0f);
        FloatBuffer dl = bt.dLogits;
        for (int k = 0; k < c; k++) {
            float s = 0;
            for (int i = 0; i < n; i++) s += dl.get(i * c + k);
            gradHeadB.put(k, s);
        }
        if (lowestTarget == layers) return;
        gemm(bt.dLogits, headW, bt.dh[layers - 1], false, false, n, last, c, 1f, 0f);
        for (int l = layers - 1; l >= lowestTarget; l--) {
            int in = shape.in(l);
            int out = shape.out(l);
            FloatBuffer dz = bt.dh[l];
            float[] h = bt.hHeap[l + 1];
            float[] dzh = bt.dzHeap;
            int size = n * out;
            dz.get(0, dzh, 0, size);
            for (int i = 0; i < size; i++) {
                if (h[i] <= 0f) dzh[i] = 0f;
            }
            dz.put(0, dzh, 0, size);
            if (a[l] != null) {
                gemm(dz, bt.u[l], gradB[l], true, false, out, rank, n, scale, 0f);
                gemm(dz, b[l], bt.du[l], false, false, n, rank, out, scale, 0f);
                gemm(bt.du[l], bt.h[l], gradA[l], true, false, rank, in, n, 1f, 0f);
            }
            if (l > lowestTarget) {
                gemm(dz, base.weights[l], bt.dh[l - 1], false, false, n, in, out, 1f, 0f);
                if (a[l] != null) gemm(bt.du[l], a[l], bt.dh[l - 1], false, false, n, in, rank, 1f, 1f);
            }
        }
    }

    /**
     * The (M, N, K) of every matrix product one training step performs, forward then backward, for
     * benchmarks: a step costs {@code sum 2 M N K} floating-point operations in them.
     */
    public static java.util.List<int[]> stepProducts(MlpModel model, int rank, int batch, boolean firstLayerCached) {
        MlpShape shape = model.shape();
        java.util.List<int[]> p = new java.util.ArrayList<>();
        int layers = shape.adaptedLayers();
        int lowest = layers;
        for (int l = 0; l < layers; l++) if (model.targetOfLayer(l) != null) lowest = Math.min(lowest, l);
        for (int l = 0; l < layers; l++) {
            if (l > 0 || !firstLayerCached) p.add(new int[] {batch, shape.out(l), shape.in(l)});
            if (model.targetOfLayer(l) == null) continue;
            p.add(new int[] {batch, rank, shape.in(l)});
            p.add(new int[] {batch, shape.out(l), rank});
        }
        p.add(new int[] {batch, shape.classes(), shape.lastHidden()});
        p.add(new int[] {shape.classes(), shape.lastHidden(), batch});
        if (lowest == layers) return p;
        p.add(new int[] {batch, shape.lastHidden(), shape.classes()});
        for (int l = layers - 1; l >= lowest; l--) {
            boolean adapted = model.targetOfLayer(l) != null;
            if (adapted) {
                p.add(new int[] {shape.out(l), rank, batch});
                p.add(new int[] {batch, rank, shape.out(l)});
                p.add(new int[] {rank, shape.in(l), batch});
            }
            if (l > lowest) {
                p.add(new int[] {batch, shape.in(l), shape.out(l)});
                if (adapted) p.add(new int[] {batch, shape.in(l), rank});
            }
        }
        return p;
    }

    /** One SGD step with optional heavy-ball momentum: {@code v = mu v + g; p -= lr v}. */
    public void sgdStep(double learningRate, double momentum, boolean trainA) {
        sgdStep(learningRate, momentum, trainA, 0);
    }

    @Override
    public void sgdStep(double learningRate, double momentum, boolean trainA, boolean trainB, double proximalMu) {
        if (proximalMu > 0) addProximalGradients(proximalMu, trainA, trainB);
        for (int l = 0; l < layers; l++) {
            if (a[l] == null) continue;
            if (trainA) update(a[l], gradA[l], velA[l], learningRate, momentum);
            if (trainB) update(b[l], gradB[l], velB[l], learningRate, momentum);
        }
        update(headW, gradHeadW, velHeadW, learningRate, momentum);
        update(headB, gradHeadB, velHeadB, learningRate, momentum);
    }

    @Override
    public void anchorAtCurrent() {
        if (anchorA == null) {
            anchorA = new FloatBuffer[layers];
            anchorB = new FloatBuffer[layers];
            for (int l = 0; l < layers; l++) {
                if (a[l] == null) continue;
                anchorA[l] = zeros(a[l].capacity());
                anchorB[l] = zeros(b[l].capacity());
            }
            anchorHeadW = zeros(headW.capacity());
            anchorHeadB = zeros(headB.capacity());
        }
        for (int l = 0; l < layers; l++) {
            if (a[l] == null) continue;
            anchorA[l].put(0, a[l], 0, a[l].capacity());
            anchorB[l].put(0, b[l], 0, b[l].capacity());
        }
        anchorHeadW.put(0, headW, 0, headW.capacity());
        anchorHeadB.put(0, headB, 0, headB.capacity());
    }

    private void addProximalGradients(double mu, boolean trainA, boolean trainB) {
        if (anchorA == null) throw new IllegalStateException("a proximal step needs anchorAtCurrent() first");
        for (int l = 0; l < layers; l++) {
            if (a[l] == null) continue;
            if (trainA) proximal(a[l], anchorA[l], gradA[l], mu);
            if (trainB) proximal(b[l], anchorB[l], gradB[l], mu);
        }
        proximal(headW, anchorHeadW, gradHeadW, mu);
        proximal(headB, anchorHeadB, gradHeadB, mu);
    }

    /** {@code g += mu (p - anchor)}, as two saxpy calls. */
    private void proximal(FloatBuffer p, FloatBuffer anchor, FloatBuffer g, double mu) {
        gemm.saxpy(p.capacity(), (float) mu, p, 0, g, 0);
        gemm.saxpy(p.capacity(), (float) -mu, anchor, 0, g, 0);
    }

    /** {@code v = mu v + g; p -= lr v} (plain {@code p -= lr g} without momentum), in saxpy calls. */
    private void update(FloatBuffer p, FloatBuffer g, FloatBuffer v, double lr, double mu) {
        int n = p.capacity();
        if (mu == 0) {
            gemm.saxpy(n, (float) -lr, g, 0, p, 0);
        } else {
            float m = (float) mu;
            for (int i = 0; i < n; i++) v.put(i, v.get(i) * m);
            gemm.saxpy(n, 1f, g, 0, v, 0);
            gemm.saxpy(n, (float) -lr, v, 0, p, 0);
        }
    }

    @Override
    public double[] evaluate(int n) {
        Batch bt = batch(n);
        forward(bt);
        double[] out = new double[2];
        lossAndGradient(bt, out);
        return out;
    }
}
