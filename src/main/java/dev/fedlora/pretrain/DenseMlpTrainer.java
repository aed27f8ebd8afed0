package dev.fedlora.pretrain;

import dev.fedlora.data.LabeledImages;
import dev.fedlora.model.BaseMlp;
import dev.fedlora.model.Adapter;
import dev.fedlora.random.Shuffle;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Pretrains the base MLP (all layers dense, ReLU, softmax cross-entropy) with minibatch SGD and
 * momentum. A one-off job on one machine, so it favours plain ND4J expressions over buffer reuse.
 */
public final class DenseMlpTrainer {
    private final int[] sizes;
    private final INDArray[] w;
    private final INDArray[] b;
    private final INDArray[] vw;
    private final INDArray[] vb;

    /** He-initialised weights, zero biases. */
    public DenseMlpTrainer(int[] sizes, SplittableRandom rng) {
        this.sizes = sizes.clone();
        int layers = sizes.length - 1;
        w = new INDArray[layers];
        b = new INDArray[layers];
        vw = new INDArray[layers];
        vb = new INDArray[layers];
        for (int l = 0; l < layers; l++) {
            float[] init = new float[sizes[l + 1] * sizes[l]];
            double std = Math.sqrt(2.0 / sizes[l]);
            for (int i = 0; i < init.length; i++) init[i] = (float) (std * Adapter.gaussian(rng));
            w[l] = Nd4j.create(init, new long[] {sizes[l + 1], sizes[l]}, DataType.FLOAT);
            b[l] = Nd4j.zeros(DataType.FLOAT, 1, sizes[l + 1]);
            vw[l] = Nd4j.zeros(DataType.FLOAT, sizes[l + 1], sizes[l]);
            vb[l] = Nd4j.zeros(DataType.FLOAT, 1, sizes[l + 1]);
        }
    }

    /** One epoch over {@code data} in a seeded order; returns the mean training loss. */
    public double epoch(LabeledImages data, int batch, double lr, double momentum, SplittableRandom rng) {
        int[] order = new int[data.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Shuffle.inPlace(order, rng);
        double loss = 0;
        for (int from = 0; from < order.length; from += batch) {
            int n = Math.min(batch, order.length - from);
            loss += step(data, order, from, n, lr, momentum);
        }
        return loss / order.length;
    }

    private double step(LabeledImages data, int[] order, int from, int n, double lr, double momentum) {
        int layers = w.length;
        INDArray[] h = new INDArray[layers + 1];
        h[0] = Nd4j.create(data.featureRows(order, from, n), new long[] {n, sizes[0]}, DataType.FLOAT);
        for (int l = 0; l < layers; l++) {
            INDArray z = h[l].mmul(w[l].transpose()).addiRowVector(b[l]);
            h[l + 1] = l < layers - 1 ? Transforms.relu(z, false) : z;
        }
        INDArray probs = Transforms.softmax(h[layers], true);
        INDArray onehot = Nd4j.zeros(DataType.FLOAT, n, sizes[layers]);
        double loss = 0;
        for (int i = 0; i < n; i++) {
            int y = data.label(order[from + i]);
            onehot.putScalar(i, y, 1f);
            loss -= Math.log(Math.max(probs.getDouble(i, y), 1e-12));
        }
        INDArray delta = probs.subi(onehot).divi(n);
        for (int l = layers - 1; l >= 0; l--) {
            INDArray gw = delta.transpose().mmul(h[l]);
            INDArray gb = delta.sum(true, 0);
            if (l > 0) delta = delta.mmul(w[l]).muli(h[l].gt(0).castTo(DataType.FLOAT));
            vw[l].muli(momentum).addi(gw);
            vb[l].muli(momentum).addi(gb);
            w[l].subi(vw[l].mul(lr));
            b[l].subi(vb[l].mul(lr));
        }
        return loss;
    }

    public BaseMlp toBaseMlp() {
        float[][] weights = new float[w.length][];
        float[][] biases = new float[w.length][];
        for (int l = 0; l < w.length; l++) {
            weights[l] = w[l].dup('c').data().asFloat();
            biases[l] = b[l].dup('c').data().asFloat();
        }
        return new BaseMlp(sizes, weights, biases);
    }

    /** Accuracy of the current weights on {@code data}. */
    public double accuracy(LabeledImages data) {
        int correct = 0;
        int batch = 1000;
        int[] all = new int[data.size()];
        for (int i = 0; i < all.length; i++) all[i] = i;
        for (int from = 0; from < all.length; from += batch) {
            int n = Math.min(batch, all.length - from);
            INDArray h = Nd4j.create(data.featureRows(all, from, n), new long[] {n, sizes[0]}, DataType.FLOAT);
            for (int l = 0; l < w.length; l++) {
                h = h.mmul(w[l].transpose()).addiRowVector(b[l]);
                if (l < w.length - 1) h = Transforms.relu(h, false);
            }
            INDArray pred = h.argMax(1);
            for (int i = 0; i < n; i++) if (pred.getInt(i) == data.label(from + i)) correct++;
        }
        return (double) correct / data.size();
    }
}
