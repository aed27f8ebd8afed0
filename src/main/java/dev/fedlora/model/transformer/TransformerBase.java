package dev.fedlora.model.transformer;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The frozen weights of a decoder-only transformer (GPT-2's layout):
 * <pre>
 *   x_0      = E[token_t] + P[t]                                  (embed.token E, embed.position P)
 *   per layer N:
 *     x     <- x + Attn(LN1(x))                                    causal, heads of width d / heads
 *     x     <- x + W_down gelu(W_up LN2(x) + b_up) + b_down
 *   h       = LN_f(x)
 *   logits  = h E^T                                                (output projection tied to E)
 * </pre>
 * with {@code Attn(a) = concat_heads(softmax(q k^T / sqrt(d / heads) + causal mask) v) W_o^T + b_o},
 * {@code q = a W_q^T + b_q} (likewise k, v), {@code LN(x) = (x - mean) / sqrt(var + 1e-5) * gain +
 * bias} over each row and GELU's tanh approximation. Tensor names and order are listed in
 * {@link #tensorNames()}; a linear layer's weight is {@code out x in}, row-major.
 *
 * <p>The arrays returned by {@link #tensor}, {@link #weight} and {@link #bias} are the live
 * storage: a base shared between threads must not be modified (the pretraining job owns its
 * copy and updates it in place). The same type holds full-parameter gradients ({@link #zeros}).
 */
public final class TransformerBase implements Serializable {
    private static final long serialVersionUID = 1L;
    /** GPT-2's initial standard deviation for weights and embeddings. */
    public static final double INIT_STD = 0.02;

    private final Layout layout;
    private final float[][] tensors;

    TransformerBase(TransformerConfig config, float[][] tensors) {
        this.layout = new Layout(config);
        if (tensors.length != layout.tensorCount()) {
            throw new IllegalArgumentException("expected " + layout.tensorCount() + " tensors, found " + tensors.length);
        }
        for (int t = 0; t < tensors.length; t++) {
            if (tensors[t].length != layout.size(t)) {
                throw new IllegalArgumentException("tensor " + layout.tensorNames.get(t) + " must have "
                        + layout.size(t) + " values, found " + tensors[t].length);
            }
        }
        this.tensors = tensors;
    }

    /** Every tensor zero (a gradient accumulator, or a base about to be read). */
    public static TransformerBase zeros(TransformerConfig config) {
        Layout layout = new Layout(config);
        float[][] t = new float[layout.tensorCount()][];
        for (int i = 0; i < t.length; i++) t[i] = new float[layout.size(i)];
        return new TransformerBase(config, t);
    }

    /**
     * GPT-2's initialisation, seeded: embeddings and linear weights N(0, 0.02^2), except the
     * residual projections ({@code attn.o}, {@code mlp.down}) N(0, (0.02 / sqrt(2 layers))^2);
     * linear biases and LayerNorm biases 0, LayerNorm gains 1. Tensor {@code i} draws from the
     * {@code i}-th {@link SplittableRandom#split()} of {@code new SplittableRandom(seed)}, so the
     * same seed gives the same bits on every machine.
     */
    public static TransformerBase init(TransformerConfig config, long seed) {
        TransformerBase base = zeros(config);
        Layout layout = base.layout;
        SplittableRandom root = new SplittableRandom(seed);
        double residualStd = INIT_STD / Math.sqrt(2.0 * config.layers());
        for (int t = 0; t < layout.tensorCount(); t++) {
            SplittableRandom rng = root.split();
            String name = layout.tensorNames.get(t);
            float[] values = base.tensors[t];
            int linear = layout.linearOfWeight(t);
            if (t == Layout.TOKEN || t == Layout.POSITION) {
                fillGaussian(values, INIT_STD, rng);
            } else if (linear >= 0) {
                fillGaussian(values, Layout.isResidualProjection(linear) ? residualStd : INIT_STD, rng);
            } else if (name.endsWith(".gain")) {
                Arrays.fill(values, 1f);
            }
        }
        return base;
    }

    /** Fills with N(0, std^2) draws (Box–Muller, one of each pair), in index order. */
    static void fillGaussian(float[] values, double std, SplittableRandom rng) {
        for (int i = 0; i < values.length; i++) {
            double u1 = 1.0 - rng.nextDouble();
            double u2 = rng.nextDouble();
            values[i] = (float) (std * Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2));
        }
    }

    public TransformerConfig config() { return layout.config; }

    /** Every tensor's name in storage (and file) order; see {@link Layout}. */
    public List<String> tensorNames() { return layout.tensorNames; }

    /** A tensor's dimensions, e.g. {@code [vocabSize, dModel]} for {@code embed.token}. */
    public int[] shape(String tensor) { return layout.shape(layout.tensorId(tensor)); }

    /**
     * The live values of a tensor, row-major.
     * @throws IllegalArgumentException for an unknown name (the message lists the names)
     */
    public float[] tensor(String name) { return tensors[layout.tensorId(name)]; }

    /**
     * The linear layers' names, in this fixed order: for each layer {@code N} from 0,
     * {@code layers.N.attn.q}, {@code .attn.k}, {@code .attn.v}, {@code .attn.o},
     * {@code .mlp.up}, {@code .mlp.down}.
     */
    public List<String> linearNames() { return layout.linearNames; }

    /** Input width of a linear layer (dFF for {@code mlp.down}, else dModel). */
    public int in(String linear) { return layout.in(layout.linearId(linear)); }

    /** Output width of a linear layer (dFF for {@code mlp.up}, else dModel). */
    public int out(String linear) { return layout.out(layout.linearId(linear)); }

    /** A linear layer's live weight, out x in row-major. */
    public float[] weight(String linear) { return tensors[Layout.weight(layout.linearId(linear))]; }

    /** A linear layer's live bias (out values). */
    public float[] bias(String linear) { return tensors[Layout.bias(layout.linearId(linear))]; }

    /** The default targets: the query and value projections of every layer (the LoRA paper's, PEFT's). */
    public static final List<String> DEFAULT_TARGETS = List.of("attn.q", "attn.v");

    /**
     * The linear layers a target list selects ({@link dev.fedlora.model.TargetPatterns}), in
     * {@link #linearNames()} order.
     * @throws IllegalArgumentException for an empty list, or see {@link dev.fedlora.model.TargetPatterns#select}
     */
    public List<String> targets(List<String> patterns) {
        if (patterns.isEmpty()) {
            throw new IllegalArgumentException("lora.targets is empty; give at least one, e.g. " + DEFAULT_TARGETS);
        }
        return dev.fedlora.model.TargetPatterns.select("lora.targets", layout.linearNames, patterns);
    }

    /** {@link #DEFAULT_TARGETS}: q and v of every layer. */
    public List<String> defaultTargets() { return targets(DEFAULT_TARGETS); }

    /** A deep copy. */
    public TransformerBase copy() {
        float[][] t = new float[tensors.length][];
        for (int i = 0; i < t.length; i++) t[i] = tensors[i].clone();
        return new TransformerBase(layout.config, t);
    }

    /** Sets every value to zero (reusing a gradient holder). */
    public void clear() {
        for (float[] t : tensors) Arrays.fill(t, 0f);
    }

    Layout layout() { return layout; }
    float[] tensor(int id) { return tensors[id]; }
}
