package dev.fedlora.model;

import dev.fedlora.data.Examples;
import dev.fedlora.data.LabeledImages;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Forward and backward pass of a LoRA-adapted {@link MlpModel} on ND4J. Hidden layer {@code l}
 * computes {@code h_{l+1} = relu(h_l W_l^T + b_l + s (h_l A_l^T) B_l^T)} (the LoRA term only on
 * layers that are targets), the head {@code logits = h_L W^T + bias}, the loss is mean softmax
 * cross-entropy.
 *
 * <p>All buffers are allocated when the network is built (one set per batch size used), so a
 * training step allocates no native memory: matrix products go to the backend's BLAS through
 * {@link Nd4j#gemm}, element-wise work runs in Java over direct-buffer views of the same memory
 * (on a GPU backend each view access first syncs the buffer to the host and marks it after). The
 * frozen first layer's products of a data set come from the once-per-JVM
 * {@link FirstLayerProjection}.
 */
public final class LoraNetwork implements TrainableNetwork {
    private static final AffinityManager AFFINITY = Nd4j.getAffinityManager();
    private final MlpModel model;
    private final MlpShape shape;
    private final AdapterLayout layout;
    private final int rank;
    private final float scale;
    private final FrozenBase base;
    private final int layers;
    /** The lowest hidden layer with an adapter: no gradient flows below it. */
    private final int lowestTarget;

    /** Per hidden layer; null where the layer has no adapter. */
    private final INDArray[] a, b, gradA, gradB, velA, velB;
    private final INDArray headW, headB, gradHeadW, gradHeadB, velHeadW, velHeadB;
    private final FloatBuffer gradHeadBView;
    /** FedProx's anchor (the client's start), allocated on first use. */
    private INDArray[] anchorA, anchorB;
    private INDArray anchorHeadW, anchorHeadB;
    private final Map<Integer, Batch> batches = new HashMap<>();
    private final double[] lossCorrect = new double[2];

    /** Activations and gradients for one batch size. */
    private final class Batch {
        final int n;
        final INDArray x;
        final INDArray[] h;    // h[0] = x, h[l+1] = relu(z_l) (written in place of z_l)
        final INDArray[] u;    // u_l = h_l A_l^T (n x r), on adapted layers
        final INDArray[] dh;   // gradient w.r.t. h[l+1]; masked in place to become dz_l
        final INDArray[] du;
        final INDArray logits, dLogits;
        final FloatBuffer xView, logitsView, dLogitsView;
        final FloatBuffer[] hView, dhView;
        final int[] labels;
        final float[] stage;
        boolean firstLayerLoaded;

        Batch(int n) {
            this.n = n;
            h = new INDArray[layers + 1];
            hView = new FloatBuffer[layers + 1];
            u = new INDArray[layers];
            dh = new INDArray[layers];
            dhView = new FloatBuffer[layers];
            du = new INDArray[layers];
            x = zeros(n, shape.inputs());
            h[0] = x;
            for (int l = 0; l < layers; l++) {
                h[l + 1] = zeros(n, shape.out(l));
                dh[l] = zeros(n, shape.out(l));
                if (a[l] != null) {
                    u[l] = zeros(n, rank);
                    du[l] = zeros(n, rank);
                }
            }
            for (int l = 0; l <= layers; l++) hView[l] = view(h[l]);
            for (int l = 0; l < layers; l++) dhView[l] = view(dh[l]);
            xView = hView[0];
            logits = zeros(n, shape.classes());
            dLogits = zeros(n, shape.classes());
            logitsView = view(logits);
            dLogitsView = view(dLogits);
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
        a = new INDArray[layers];
        b = new INDArray[layers];
        gradA = new INDArray[layers];
        gradB = new INDArray[layers];
        velA = new INDArray[layers];
        velB = new INDArray[layers];
        int lowest = layers;
        for (int l = layers - 1; l >= 0; l--) {
            if (model.targetOfLayer(l) == null) continue;
            lowest = l;
            a[l] = zeros(rank, shape.in(l));
            b[l] = zeros(shape.out(l), rank);
            gradA[l] = zeros(rank, shape.in(l));
            gradB[l] = zeros(shape.out(l), rank);
            velA[l] = zeros(rank, shape.in(l));
            velB[l] = zeros(shape.out(l), rank);
        }
        lowestTarget = lowest;
        headW = zeros(shape.classes(), shape.lastHidden());
        headB = zeros(1, shape.classes());
        gradHeadW = zeros(shape.classes(), shape.lastHidden());
        gradHeadB = zeros(1, shape.classes());
        velHeadW = zeros(shape.classes(), shape.lastHidden());
        velHeadB = zeros(1, shape.classes());
        gradHeadBView = view(gradHeadB);
    }

    private static INDArray zeros(long rows, long cols) {
        return Nd4j.zeros(DataType.FLOAT, rows, cols);
    }

    private static FloatBuffer view(INDArray arr) {
        return arr.data().asNioFloat();
    }

    /**
     * Before Java reads a buffer through its view: on a GPU backend, brings the device's values to
     * the host. A no-op on the CPU backend.
     */
    private static void toHost(INDArray arr) {
        AFFINITY.ensureLocation(arr, AffinityManager.Location.HOST);
    }

    /** After Java wrote a buffer through its view: the host copy is now the current one. */
    private static void writtenOnHost(INDArray arr) {
        AFFINITY.tagLocation(arr, AffinityManager.Location.HOST);
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
            put(a[l], p.a(t));
            put(b[l], p.b(t));
            velA[l].assign(0);
            velB[l].assign(0);
        }
        put(headW, p.dense(model.headWeight()));
        put(headB, p.dense(model.headBias()));
        velHeadW.assign(0);
        velHeadB.assign(0);
    }

    @Override
    public Adapter store() {
        return copyOut(a, b, headW, headB);
    }

    @Override
    public Adapter gradients() {
        return copyOut(gradA, gradB, gradHeadW, gradHeadB);
    }

    private Adapter copyOut(INDArray[] fa, INDArray[] fb, INDArray hw, INDArray hb) {
        Adapter p = new Adapter(layout, rank);
        for (int l = 0; l < layers; l++) {
            LoraTarget t = model.targetOfLayer(l);
            if (t == null) continue;
            get(fa[l], p.a(t));
            get(fb[l], p.b(t));
        }
        get(hw, p.dense(model.headWeight()));
        get(hb, p.dense(model.headBias()));
        return p;
    }

    private static void put(INDArray dst, float[] src) {
        FloatBuffer v = view(dst);
        v.clear();
        v.put(src);
        writtenOnHost(dst);
    }

    private static void get(INDArray src, float[] dst) {
        toHost(src);
        FloatBuffer v = view(src);
        v.clear();
        v.get(dst);
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
        LabeledImages images = MlpModel.images(data);
        loadBatch(images, FirstLayerProjection.of(model.base(), images), idx, from, n);
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
        bt.xView.clear();
        bt.xView.put(bt.stage);
        writtenOnHost(bt.x);
        bt.firstLayerLoaded = firstLayer != null;
        if (firstLayer != null) {
            int out = shape.out(0);
            FloatBuffer z = bt.hView[1];
            z.clear();
            for (int i = 0; i < n; i++) z.put(firstLayer, idx[from + i] * out, out);
            writtenOnHost(bt.h[1]);
        }
    }

    /** Loads an explicit batch (row-major n x inputs) with its labels. */
    public void loadBatch(float[] x, int[] labels, int n) {
        Batch bt = batch(n);
        bt.xView.clear();
        bt.xView.put(x, 0, n * shape.inputs());
        writtenOnHost(bt.x);
        System.arraycopy(labels, 0, bt.labels, 0, n);
        bt.firstLayerLoaded = false;
    }

    private void forward(Batch bt) {
        for (int l = 0; l < layers; l++) {
            INDArray z = bt.h[l + 1];
            if (l > 0 || !bt.firstLayerLoaded) {
                Nd4j.gemm(bt.h[l], base.weights[l], z, false, true, 1.0, 0.0);
                z.addiRowVector(base.biases[l]);
            }
            if (a[l] != null) {
                Nd4j.gemm(bt.h[l], a[l], bt.u[l], false, true, 1.0, 0.0);
                Nd4j.gemm(bt.u[l], b[l], z, false, true, scale, 1.0);
            }
            toHost(z);
            FloatBuffer v = bt.hView[l + 1];
            for (int i = 0, m = bt.n * shape.out(l); i < m; i++) {
                if (v.get(i) < 0f) v.put(i, 0f);
            }
            writtenOnHost(z);
        }
        Nd4j.gemm(bt.h[layers], headW, bt.logits, false, true, 1.0, 0.0);
        bt.logits.addiRowVector(headB);
    }

    /**
     * Softmax cross-entropy of the current logits; writes {@code dLoss/dLogits} of the mean loss.
     * @return the summed (not averaged) loss and the number of correct predictions, in {@code out}
     */
    private void lossAndGradient(Batch bt, double[] out) {
        int c = shape.classes();
        toHost(bt.logits);
        FloatBuffer lg = bt.logitsView;
        FloatBuffer dl = bt.dLogitsView;
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
        writtenOnHost(bt.dLogits);
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
        Nd4j.gemm(bt.dLogits, bt.h[layers], gradHeadW, true, false, 1.0, 0.0);
        int c = shape.classes();
        FloatBuffer dl = bt.dLogitsView;
        for (int k = 0; k < c; k++) {
            float s = 0;
            for (int i = 0; i < bt.n; i++) s += dl.get(i * c + k);
            gradHeadBView.put(k, s);
        }
        writtenOnHost(gradHeadB);
        if (lowestTarget == layers) return;
        Nd4j.gemm(bt.dLogits, headW, bt.dh[layers - 1], false, false, 1.0, 0.0);
        for (int l = layers - 1; l >= lowestTarget; l--) {
            toHost(bt.dh[l]);
            FloatBuffer dz = bt.dhView[l];
            FloatBuffer h = bt.hView[l + 1];
            for (int i = 0, m = bt.n * shape.out(l); i < m; i++) {
                if (h.get(i) <= 0f) dz.put(i, 0f);
            }
            writtenOnHost(bt.dh[l]);
            if (a[l] != null) {
                Nd4j.gemm(bt.dh[l], bt.u[l], gradB[l], true, false, scale, 0.0);
                Nd4j.gemm(bt.dh[l], b[l], bt.du[l], false, false, scale, 0.0);
                Nd4j.gemm(bt.du[l], bt.h[l], gradA[l], true, false, 1.0, 0.0);
            }
            if (l > lowestTarget) {
                Nd4j.gemm(bt.dh[l], base.weights[l], bt.dh[l - 1], false, false, 1.0, 0.0);
                if (a[l] != null) Nd4j.gemm(bt.du[l], a[l], bt.dh[l - 1], false, false, 1.0, 1.0);
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
    public void sgdStep(double learningRate, double momentum, boolean trainA, double proximalMu) {
        if (proximalMu > 0) addProximalGradients(proximalMu, trainA);
        for (int l = 0; l < layers; l++) {
            if (a[l] == null) continue;
            if (trainA) update(a[l], gradA[l], velA[l], learningRate, momentum);
            update(b[l], gradB[l], velB[l], learningRate, momentum);
        }
        update(headW, gradHeadW, velHeadW, learningRate, momentum);
        update(headB, gradHeadB, velHeadB, learningRate, momentum);
    }

    @Override
    public void anchorAtCurrent() {
        if (anchorA == null) {
            anchorA = new INDArray[layers];
            anchorB = new INDArray[layers];
            for (int l = 0; l < layers; l++) {
                if (a[l] == null) continue;
                anchorA[l] = zeros(rank, shape.in(l));
                anchorB[l] = zeros(shape.out(l), rank);
            }
            anchorHeadW = zeros(shape.classes(), shape.lastHidden());
            anchorHeadB = zeros(1, shape.classes());
        }
        for (int l = 0; l < layers; l++) {
            if (a[l] == null) continue;
            anchorA[l].assign(a[l]);
            anchorB[l].assign(b[l]);
        }
        anchorHeadW.assign(headW);
        anchorHeadB.assign(headB);
    }

    private void addProximalGradients(double mu, boolean trainA) {
        if (anchorA == null) throw new IllegalStateException("a proximal step needs anchorAtCurrent() first");
        for (int l = 0; l < layers; l++) {
            if (a[l] == null) continue;
            if (trainA) proximal(a[l], anchorA[l], gradA[l], mu);
            proximal(b[l], anchorB[l], gradB[l], mu);
        }
        proximal(headW, anchorHeadW, gradHeadW, mu);
        proximal(headB, anchorHeadB, gradHeadB, mu);
    }

    /** {@code g += mu (p - anchor)}. */
    private static void proximal(INDArray p, INDArray anchor, INDArray g, double mu) {
        Nd4j.getBlasWrapper().level1().axpy(p.length(), mu, p, g);
        Nd4j.getBlasWrapper().level1().axpy(p.length(), -mu, anchor, g);
    }

    private static void update(INDArray p, INDArray g, INDArray v, double lr, double mu) {
        if (mu == 0) {
            Nd4j.getBlasWrapper().level1().axpy(p.length(), -lr, g, p);
        } else {
            v.muli(mu);
            Nd4j.getBlasWrapper().level1().axpy(v.length(), 1.0, g, v);
            Nd4j.getBlasWrapper().level1().axpy(p.length(), -lr, v, p);
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
