package dev.fedlora.model;

import dev.fedlora.data.Examples;
import dev.fedlora.data.LabeledImages;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code model.type = mlp}: a frozen pretrained {@link BaseMlp} whose hidden layers {@code fc1},
 * {@code fc2}, ... (the weight producing hidden layer l is {@code fc<l>}) may carry LoRA adapters,
 * with a new classification head trained densely ({@code head.weight}, classes x last hidden, and
 * {@code head.bias}). Reads {@link LabeledImages}.
 */
public final class MlpModel implements AdaptableModel {
    private static final long serialVersionUID = 1L;
    /** The dense trainables an mlp has: its new head. */
    public static final List<String> TRAINABLE = List.of("head");
    static final String HEAD_WEIGHT = "head.weight";
    static final String HEAD_BIAS = "head.bias";

    private final BaseMlp base;
    private final MlpShape shape;
    private final AdapterLayout layout;
    /** For each hidden layer, its target in {@link #layout}, or null when it has no adapter. */
    private final LoraTarget[] targetOfLayer;

    private MlpModel(BaseMlp base, MlpShape shape, AdapterLayout layout) {
        this.base = base;
        this.shape = shape;
        this.layout = layout;
        this.targetOfLayer = new LoraTarget[shape.adaptedLayers()];
        for (LoraTarget t : layout.targets()) targetOfLayer[layerOf(t.name())] = t;
    }

    /**
     * The fine-tuning model on {@code base}: its hidden layers, LoRA on the layers that
     * {@code targets} selects ({@link TargetPatterns}; empty = every hidden layer), and a new head of
     * {@code classes}.
     *
     * @throws IllegalArgumentException for a pattern that selects nothing or trainables other than
     *     {@link #TRAINABLE}
     */
    public static MlpModel of(BaseMlp base, int classes, List<String> targets, List<String> trainable, LoraInit init) {
        if (!trainable.equals(TRAINABLE)) {
            throw new IllegalArgumentException("model.trainable = " + trainable + ": an mlp trains its new head, expected "
                    + TRAINABLE);
        }
        MlpShape shape = base.fineTuneShape(classes);
        List<String> names = new ArrayList<>();
        for (int l = 0; l < shape.adaptedLayers(); l++) names.add(layerName(l));
        List<String> chosen = targets.isEmpty() ? names : TargetPatterns.select("lora.targets", names, targets);
        AdapterLayout.Builder b = AdapterLayout.builder(init);
        for (String name : chosen) {
            int l = layerOf(name);
            b.target(name, shape.in(l), shape.out(l));
        }
        b.dense(HEAD_WEIGHT, shape.classes(), shape.lastHidden(), DenseTensor.Init.GAUSSIAN_FAN_IN);
        b.dense(HEAD_BIAS, shape.classes(), 0, DenseTensor.Init.ZEROS);
        return new MlpModel(base, shape, b.build());
    }

    /**
     * The model on {@code base} whose adapter is {@code layout} (an mlp layout: {@code fc<l>}
     * targets, then {@code head.weight} and {@code head.bias}).
     *
     * @throws IllegalArgumentException if {@code layout} is not one an mlp on {@code base} has
     */
    public static MlpModel of(BaseMlp base, AdapterLayout layout) {
        int classes = layout.dense().get(layout.dense().size() - 1).rows();
        MlpModel m = of(base, classes, layout.targetNames(), TRAINABLE, layout.init());
        if (!m.layout.equals(layout)) {
            throw new IllegalArgumentException("adapter " + layout + " does not fit the mlp " + m.shape);
        }
        return m;
    }

    /**
     * The adapter layout of an mlp of {@code sizes} (inputs, hidden widths, classes) with LoRA on
     * every hidden layer and {@code A} started by {@code gaussian}: the default layout.
     */
    public static AdapterLayout layoutOf(int... sizes) {
        MlpShape shape = new MlpShape(sizes);
        AdapterLayout.Builder b = AdapterLayout.builder(LoraInit.GAUSSIAN);
        for (int l = 0; l < shape.adaptedLayers(); l++) b.target(layerName(l), shape.in(l), shape.out(l));
        b.dense(HEAD_WEIGHT, shape.classes(), shape.lastHidden(), DenseTensor.Init.GAUSSIAN_FAN_IN);
        b.dense(HEAD_BIAS, shape.classes(), 0, DenseTensor.Init.ZEROS);
        return b.build();
    }

    /** {@code fc<l+1>}: the name of the weight producing hidden layer {@code l+1}. */
    static String layerName(int layer) {
        return "fc" + (layer + 1);
    }

    private static int layerOf(String name) {
        return Integer.parseInt(name.substring(2)) - 1;
    }

    @Override public String type() { return "mlp"; }
    @Override public AdapterLayout layout() { return layout; }
    public BaseMlp base() { return base; }
    public MlpShape shape() { return shape; }

    /** The target on hidden layer {@code layer}, or null. */
    LoraTarget targetOfLayer(int layer) {
        return targetOfLayer[layer];
    }

    DenseTensor headWeight() { return layout.dense().get(0); }
    DenseTensor headBias() { return layout.dense().get(1); }

    @Override
    public MlpModel merged(BaseDelta delta) {
        if (delta.isNone()) return this;
        int layers = base.layers();
        float[][] weights = new float[layers][];
        float[][] biases = new float[layers][];
        for (int l = 0; l < layers; l++) {
            weights[l] = base.weight(l);
            biases[l] = base.bias(l);
        }
        for (Map.Entry<String, float[]> e : delta.perTarget().entrySet()) {
            LoraTarget t = layout.target(e.getKey());
            int l = layerOf(t.name());
            float[] w = base.weight(l);
            float[] d = e.getValue();
            if (w.length != d.length) {
                throw new IllegalArgumentException("base layer " + t.name() + " has " + w.length + " weights, the merged update "
                        + d.length);
            }
            weights[l] = new float[w.length];
            for (int i = 0; i < w.length; i++) weights[l][i] = w[i] + d[i];
        }
        return new MlpModel(new BaseMlp(base.sizes(), weights, biases), shape, layout);
    }

    @Override
    public LoraNetwork network(int rank, float scale) {
        return new LoraNetwork(this, rank, scale);
    }

    /** With the first layer's frozen products cached, as local training has them. */
    @Override
    public List<int[]> stepProducts(int rank, int batch) {
        return LoraNetwork.stepProducts(this, rank, batch, true);
    }

    @Override
    public void checkData(Examples data) {
        if (!(data instanceof LabeledImages images)) {
            throw new IllegalArgumentException("model.type = mlp reads images (data.format = idx), but " + data.name()
                    + " holds " + data.getClass().getSimpleName());
        }
        if (images.features() != shape.inputs()) {
            throw new IllegalArgumentException("the mlp base takes " + shape.inputs() + " inputs but " + data.name()
                    + " has " + images.features() + " features per example");
        }
        if (data.classes() != shape.classes()) {
            throw new IllegalArgumentException("the head has " + shape.classes() + " classes but " + data.name()
                    + " has " + data.classes());
        }
    }

    /** The images of {@code data}, which {@link #checkData} has accepted. */
    static LabeledImages images(Examples data) {
        if (data instanceof LabeledImages images) return images;
        throw new IllegalArgumentException("model.type = mlp reads images, not " + data.getClass().getSimpleName());
    }

    @Override public String toString() {
        return "mlp " + shape + " (" + layout + ")";
    }

    @Override public boolean equals(Object o) { return this == o; }
    @Override public int hashCode() { return System.identityHashCode(this); }

    int[] sizes() { return Arrays.copyOf(shape.sizes(), shape.sizes().length); }
}
