package dev.fedlora.model.transformer;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Names, shapes and fixed numbering of a config's tensors and linear layers. Tensor ids, in
 * order: {@code embed.token} (vocab x d), {@code embed.position} (context x d), then per layer
 * {@code N} sixteen tensors
 * <pre>
 *   layers.N.ln1.gain, layers.N.ln1.bias                      (d each)
 *   layers.N.attn.{q,k,v,o}.weight (d x d), .bias (d)          in the order q, k, v, o
 *   layers.N.ln2.gain, layers.N.ln2.bias                      (d each)
 *   layers.N.mlp.up.weight (dFF x d), layers.N.mlp.up.bias (dFF)
 *   layers.N.mlp.down.weight (d x dFF), layers.N.mlp.down.bias (d)
 * </pre>
 * and last {@code ln_f.gain}, {@code ln_f.bias} (d each). Linear id {@code 6 N + kind} with kinds
 * q, k, v, o, up, down; a linear's weight is out x in, row-major.
 */
final class Layout implements Serializable {
    private static final long serialVersionUID = 1L;

    static final int Q = 0, K = 1, V = 2, O = 3, UP = 4, DOWN = 5, KINDS = 6;
    private static final String[] KIND_NAMES = {"attn.q", "attn.k", "attn.v", "attn.o", "mlp.up", "mlp.down"};
    private static final int PER_LAYER = 16;
    static final int TOKEN = 0, POSITION = 1;

    final TransformerConfig config;
    final List<String> tensorNames;
    final List<String> linearNames;
    private final int[][] shapes;
    private final Map<String, Integer> tensorIds = new HashMap<>();
    private final Map<String, Integer> linearIds = new HashMap<>();

    Layout(TransformerConfig config) {
        this.config = config;
        int d = config.dModel();
        List<String> names = new ArrayList<>();
        List<int[]> dims = new ArrayList<>();
        add(names, dims, "embed.token", config.vocabSize(), d);
        add(names, dims, "embed.position", config.contextLength(), d);
        List<String> linears = new ArrayList<>();
        for (int l = 0; l < config.layers(); l++) {
            String p = "layers." + l + ".";
            add(names, dims, p + "ln1.gain", d);
            add(names, dims, p + "ln1.bias", d);
            for (int kind = Q; kind <= O; kind++) addLinear(names, dims, linears, l, kind);
            add(names, dims, p + "ln2.gain", d);
            add(names, dims, p + "ln2.bias", d);
            addLinear(names, dims, linears, l, UP);
            addLinear(names, dims, linears, l, DOWN);
        }
        add(names, dims, "ln_f.gain", d);
        add(names, dims, "ln_f.bias", d);
        this.tensorNames = Collections.unmodifiableList(names);
        this.linearNames = Collections.unmodifiableList(linears);
        this.shapes = dims.toArray(new int[0][]);
        for (int i = 0; i < names.size(); i++) tensorIds.put(names.get(i), i);
        for (int i = 0; i < linears.size(); i++) linearIds.put(linears.get(i), i);
    }

    private void addLinear(List<String> names, List<int[]> dims, List<String> linears, int layer, int kind) {
        String name = "layers." + layer + "." + KIND_NAMES[kind];
        int linear = layer * KINDS + kind;
        add(names, dims, name + ".weight", out(linear), in(linear));
        add(names, dims, name + ".bias", out(linear));
        linears.add(name);
    }

    private static void add(List<String> names, List<int[]> dims, String name, int... shape) {
        names.add(name);
        dims.add(shape);
    }

    int tensorCount() { return shapes.length; }
    int[] shape(int tensor) { return shapes[tensor].clone(); }

    int size(int tensor) {
        int n = 1;
        for (int s : shapes[tensor]) n *= s;
        return n;
    }

    int tensorId(String name) {
        Integer id = tensorIds.get(name);
        if (id == null) throw new IllegalArgumentException("no tensor named '" + name + "'; tensors are " + tensorNames);
        return id;
    }

    int linearId(String name) {
        Integer id = linearIds.get(name);
        if (id == null) {
            throw new IllegalArgumentException("no linear layer named '" + name + "'; linear layers are " + linearNames);
        }
        return id;
    }

    static int layerOf(int linear) { return linear / KINDS; }
    static int kindOf(int linear) { return linear % KINDS; }
    static int linear(int layer, int kind) { return layer * KINDS + kind; }

    int in(int linear) { return kindOf(linear) == DOWN ? config.dFF() : config.dModel(); }
    int out(int linear) { return kindOf(linear) == UP ? config.dFF() : config.dModel(); }

    /** Residual projections (attn.o, mlp.down) get GPT-2's smaller initial weights. */
    static boolean isResidualProjection(int linear) {
        int kind = kindOf(linear);
        return kind == O || kind == DOWN;
    }

    static int weight(int linear) {
        int kind = kindOf(linear);
        return 2 + PER_LAYER * layerOf(linear) + (kind <= O ? 2 + 2 * kind : 4 + 2 * kind);
    }

    static int bias(int linear) { return weight(linear) + 1; }
    static int ln1Gain(int layer) { return 2 + PER_LAYER * layer; }
    static int ln1Bias(int layer) { return ln1Gain(layer) + 1; }
    static int ln2Gain(int layer) { return 2 + PER_LAYER * layer + 10; }
    static int ln2Bias(int layer) { return ln2Gain(layer) + 1; }
    int finalGain() { return 2 + PER_LAYER * config.layers(); }
    int finalBias() { return finalGain() + 1; }

    /** The linear layer a tensor id is the weight of, or -1. */
    int linearOfWeight(int tensor) {
        for (int linear = 0; linear < linearNames.size(); linear++) if (weight(linear) == tensor) return linear;
        return -1;
    }
}
