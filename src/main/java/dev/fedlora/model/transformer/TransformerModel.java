package dev.fedlora.model.transformer;

import dev.fedlora.data.Examples;
import dev.fedlora.data.text.TokenExamples;
import dev.fedlora.model.AdaptableModel;
import dev.fedlora.model.AdapterLayout;
import dev.fedlora.model.BaseDelta;
import dev.fedlora.model.DenseTensor;
import dev.fedlora.model.LoraInit;
import dev.fedlora.model.TargetPatterns;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code model.type = transformer}: a frozen pretrained {@link TransformerBase} whose linear maps
 * ({@code layers.N.attn.{q,k,v,o}}, {@code layers.N.mlp.{up,down}}) may carry LoRA adapters,
 * default {@code q} and {@code v} of every layer as in the LoRA paper and PEFT. Two tasks:
 * classification with a new head over the mean-pooled final hidden states ({@code model.trainable
 * = [head]}: {@code head.weight} classes x d, {@code head.bias}), and causal language modelling
 * through the tied output projection ({@code model.trainable = []}, data without classes). Reads
 * {@link TokenExamples} made with the tokenizer the base was pretrained with.
 */
public final class TransformerModel implements AdaptableModel {
    private static final long serialVersionUID = 1L;
    /** The dense trainables of the classification task. */
    public static final List<String> CLASSIFIER = List.of("head");

    private final TransformerBase base;
    private final AdapterLayout layout;
    private final List<String> targets;
    private final int classes;
    private final boolean fastMath;

    private TransformerModel(TransformerBase base, AdapterLayout layout, List<String> targets, int classes,
                             boolean fastMath) {
        this.base = base;
        this.layout = layout;
        this.targets = targets;
        this.classes = classes;
        this.fastMath = fastMath;
    }

    /**
     * @param classes the classification head's classes, or 0 for language modelling
     * @param targetPatterns PEFT's {@code target_modules} ({@link TargetPatterns}); empty = q and v of every layer
     * @param trainable {@link #CLASSIFIER} with classes, empty without
     * @throws IllegalArgumentException for a pattern that selects nothing or trainables that do not fit the task
     */
    public static TransformerModel of(TransformerBase base, int classes, List<String> targetPatterns, List<String> trainable,
                                      LoraInit init) {
        if (classes > 0 && !trainable.equals(CLASSIFIER)) {
            throw new IllegalArgumentException("model.trainable = " + trainable + ": classifying " + classes
                    + " classes trains a new head, expected " + CLASSIFIER);
        }
        if (classes == 0 && !trainable.isEmpty()) {
            throw new IllegalArgumentException("model.trainable = " + trainable + ": a language model predicts tokens"
                    + " through its tied output projection and trains no head, expected []");
        }
        if (classes == 1) throw new IllegalArgumentException("a classifier needs at least 2 classes, found 1");
        List<String> names = base.linearNames();
        List<String> chosen = targetPatterns.isEmpty() ? base.defaultTargets()
                : TargetPatterns.select("lora.targets", names, targetPatterns);
        AdapterLayout.Builder b = AdapterLayout.builder(init);
        for (String t : chosen) b.target(t, base.in(t), base.out(t));
        int d = base.config().dModel();
        if (classes > 0) {
            b.dense(TransformerLora.HEAD_WEIGHT, classes, d, DenseTensor.Init.GAUSSIAN_FAN_IN);
            b.dense(TransformerLora.HEAD_BIAS, classes, 0, DenseTensor.Init.ZEROS);
        }
        return new TransformerModel(base, b.build(), List.copyOf(chosen), classes, false);
    }

    /**
     * This model with GELU and the softmaxes in float ({@code model.fast-math}, see
     * {@link Transformer}) or, with false, in double precision (the default).
     */
    public TransformerModel withFastMath(boolean on) {
        return on == fastMath ? this : new TransformerModel(base, layout, targets, classes, on);
    }

    public boolean fastMath() { return fastMath; }

    @Override public String type() { return "transformer"; }
    @Override public AdapterLayout layout() { return layout; }
    public TransformerBase base() { return base; }
    public int classes() { return classes; }
    List<String> targets() { return targets; }

    @Override
    public TransformerModel merged(BaseDelta delta) {
        if (delta.isNone()) return this;
        TransformerBase copy = base.copy();
        for (Map.Entry<String, float[]> e : delta.perTarget().entrySet()) {
            float[] w = copy.weight(layout.target(e.getKey()).name());
            float[] d = e.getValue();
            if (w.length != d.length) {
                throw new IllegalArgumentException("linear " + e.getKey() + " has " + w.length + " weights, the merged update "
                        + d.length);
            }
            for (int i = 0; i < w.length; i++) w[i] += d[i];
        }
        return new TransformerModel(copy, layout, targets, classes, fastMath);
    }

    @Override
    public TransformerNetwork network(int rank, float scale) {
        return new TransformerNetwork(this, rank, scale);
    }

    /**
     * Products of one LoRA training step on {@code batch} sequences of the full context: per layer
     * the four attention linears and the two MLP linears forward and their input gradients backward,
     * the attention scores and mixes per head, each target's two LoRA products forward and four
     * backward, and the head (classification) or the tied output projection (language model).
     */
    @Override
    public List<int[]> stepProducts(int rank, int batch) {
        TransformerConfig c = base.config();
        int t = c.contextLength(), d = c.dModel(), rows = batch * t, hd = c.headDim();
        List<int[]> p = new ArrayList<>();
        for (String name : base.linearNames()) {
            int in = base.in(name), out = base.out(name);
            p.add(new int[] {rows, out, in});
            p.add(new int[] {rows, in, out});
        }
        for (int l = 0; l < c.layers(); l++) {
            for (int h = 0; h < batch * c.heads(); h++) {
                p.add(new int[] {t, t, hd});
                p.add(new int[] {t, hd, t});
                p.add(new int[] {t, t, hd});
                p.add(new int[] {t, hd, t});
                p.add(new int[] {t, hd, t});
                p.add(new int[] {t, t, hd});
            }
        }
        for (String name : targets) {
            int in = base.in(name), out = base.out(name);
            p.add(new int[] {rows, rank, in});
            p.add(new int[] {rows, out, rank});
            p.add(new int[] {out, rank, rows});
            p.add(new int[] {rows, rank, out});
            p.add(new int[] {rank, in, rows});
            p.add(new int[] {rows, in, rank});
        }
        if (classes > 0) {
            p.add(new int[] {batch, classes, d});
            p.add(new int[] {classes, d, batch});
            p.add(new int[] {batch, d, classes});
        } else {
            p.add(new int[] {rows, c.vocabSize(), d});
            p.add(new int[] {rows, d, c.vocabSize()});
        }
        return p;
    }

    @Override
    public void checkData(Examples data) {
        if (!(data instanceof TokenExamples tokens)) {
            throw new IllegalArgumentException("model.type = transformer reads token sequences (a text data.format), but "
                    + data.name() + " holds " + data.getClass().getSimpleName());
        }
        TransformerConfig c = base.config();
        if (tokens.vocabSize() != c.vocabSize()) {
            throw new IllegalArgumentException(data.name() + " was tokenized with a vocabulary of " + tokens.vocabSize()
                    + " tokens, the transformer was pretrained with " + c.vocabSize() + ": use the tokenizer written with the base");
        }
        if (tokens.sequenceLength() > c.contextLength() || tokens.sequenceLength() < 2) {
            throw new IllegalArgumentException(data.name() + " has sequences of " + tokens.sequenceLength()
                    + " tokens; the transformer takes 2 to " + c.contextLength());
        }
        if (data.classes() != classes) {
            throw new IllegalArgumentException(classes == 0
                    ? "a language model (model.trainable = []) reads data without classes, but " + data.name() + " has "
                            + data.classes()
                    : "the head has " + classes + " classes but " + data.name() + " has " + data.classes());
        }
    }

    /** The token sequences of {@code data}, which {@link #checkData} has accepted. */
    static TokenExamples tokens(Examples data) {
        if (data instanceof TokenExamples t) return t;
        throw new IllegalArgumentException("model.type = transformer reads token sequences, not " + data.getClass().getSimpleName());
    }

    @Override public String toString() {
        return "transformer " + base.config() + " (" + layout + (fastMath ? ", fast math" : "") + ")";
    }

    @Override public boolean equals(Object o) { return this == o; }
    @Override public int hashCode() { return System.identityHashCode(this); }
}
