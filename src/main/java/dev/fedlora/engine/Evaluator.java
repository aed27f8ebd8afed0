package dev.fedlora.engine;

import dev.fedlora.data.Examples;
import dev.fedlora.model.BaseDelta;
import dev.fedlora.model.AdaptableModel;
import dev.fedlora.model.TrainableNetwork;
import dev.fedlora.model.Adapter;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Test-set evaluation of the global model, over a fixed number of slices of the shared test set,
 * one task each on the {@link Backend}; slice results are summed in slice order, so the figures
 * are reproducible.
 */
public final class Evaluator implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int BATCH = 500;

    /** Test accuracy and mean cross-entropy. */
    public record Evaluation(double accuracy, double loss) implements Serializable {}

    private final Backend.Shared<Examples> test;
    private final Backend.Shared<AdaptableModel> base;
    private final float scale;
    private final int slices;

    public Evaluator(Backend.Shared<Examples> test, Backend.Shared<AdaptableModel> base, float scale, int slices) {
        this.test = test;
        this.base = base;
        this.scale = scale;
        this.slices = slices;
    }

    /** @param delta what the strategy has merged into the frozen base ({@link BaseDelta#NONE}: the original) */
    public Evaluation evaluate(Backend backend, Adapter global, BaseDelta delta) {
        Backend.Shared<Adapter> adapter = backend.share(global);
        Backend.Shared<BaseDelta> roundDelta = delta.isNone() ? null : backend.share(delta);
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < slices; i++) ids.add(i);
        List<double[]> parts = backend.map(ids, slices,
                i -> slice(i, adapter.value(), roundDelta == null ? base.value() : roundDelta.value().applyTo(base.value())));
        adapter.destroy();
        if (roundDelta != null) roundDelta.destroy();
        double loss = 0;
        double correct = 0;
        double predictions = 0;
        for (double[] p : parts) {
            loss += p[0];
            correct += p[1];
            predictions += p[2];
        }
        return new Evaluation(correct / predictions, loss / predictions);
    }

    private double[] slice(int i, Adapter adapter, AdaptableModel frozen) {
        Examples data = test.value();
        int from = (int) ((long) data.size() * i / slices);
        int to = (int) ((long) data.size() * (i + 1) / slices);
        return evaluateRange(frozen, scale, adapter, data, from, to);
    }

    /** {summed loss, correct predictions, predictions} over examples {@code [from, to)} of {@code data}. */
    public static double[] evaluateRange(AdaptableModel base, float scale, Adapter adapter,
                                         Examples data, int from, int to) {
        int[] idx = new int[to - from];
        for (int k = 0; k < idx.length; k++) idx[k] = from + k;
        return evaluateExamples(base, scale, adapter, data, idx);
    }

    /**
     * {summed loss, correct predictions, predictions} over the examples {@code idx} of {@code data}
     * (one prediction per example for a classifier, one per next token for a language model).
     */
    public static double[] evaluateExamples(AdaptableModel base, float scale, Adapter adapter,
                                            Examples data, int[] idx) {
        TrainableNetwork net = base.network(adapter.rank, scale);
        net.load(adapter);
        double loss = 0;
        double correct = 0;
        double predictions = 0;
        for (int s = 0; s < idx.length; s += BATCH) {
            int n = Math.min(BATCH, idx.length - s);
            net.loadBatch(data, idx, s, n);
            double[] r = net.evaluate(n);
            loss += r[0];
            correct += r[1];
            predictions += net.predictions(n);
        }
        return new double[] {loss, correct, predictions};
    }
}
