package dev.fedlora.model.transformer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An independent double-precision transformer for the tests: one sequence at a time, plain loops
 * over positions, no BLAS and no code shared with {@link Transformer}. Backward goes through
 * explicit Jacobians (LayerNorm's {@code d xhat_j / d x_i}, softmax's {@code p_u (delta_uw - p_w)})
 * rather than the closed forms the optimized code uses.
 *
 * <p>Parameters live in {@link #params} under the base's tensor names, plus
 * {@code <target>.lora_A}, {@code <target>.lora_B}, {@code head.weight}, {@code head.bias}; the
 * gradient methods fill a map with the same keys, for every parameter.
 */
final class ReferenceTransformer {
    private static final double EPS = 1e-5;
    private static final String[] KINDS = {"attn.q", "attn.k", "attn.v", "attn.o", "mlp.up", "mlp.down"};

    final Map<String, double[]> params = new LinkedHashMap<>();
    private final int vocab, d, heads, hd, layers, dFF;
    private final List<String> targets;
    private final int rank;
    private final double scale;
    private final int classes;

    ReferenceTransformer(TransformerBase base, TransformerLora lora) {
        TransformerConfig c = base.config();
        vocab = c.vocabSize();
        d = c.dModel();
        heads = c.heads();
        hd = c.headDim();
        layers = c.layers();
        dFF = c.dFF();
        for (String name : base.tensorNames()) params.put(name, Fixtures.toDouble(base.tensor(name)));
        targets = lora == null ? List.of() : lora.targets();
        rank = lora == null ? 0 : lora.rank();
        scale = lora == null ? 0 : lora.scale();
        classes = lora == null ? 0 : lora.classes();
        for (String t : targets) {
            params.put(t + ".lora_A", Fixtures.toDouble(lora.a(t)));
            params.put(t + ".lora_B", Fixtures.toDouble(lora.b(t)));
        }
        if (classes > 0) {
            params.put("head.weight", Fixtures.toDouble(lora.dense("head.weight")));
            params.put("head.bias", Fixtures.toDouble(lora.dense("head.bias")));
        }
    }

    Map<String, double[]> zeroGrads() {
        Map<String, double[]> g = new LinkedHashMap<>();
        params.forEach((k, v) -> g.put(k, new double[v.length]));
        return g;
    }

    private double[] p(String name) {
        return params.get(name);
    }

    /** Activations of one sequence. */
    private final class Seq {
        final int T;
        final int[] tok;
        final double[][][] x = new double[layers + 1][][];
        final double[][][] ln1 = new double[layers][][], q = new double[layers][][], k = new double[layers][][],
                v = new double[layers][][], y = new double[layers][][], mid = new double[layers][][],
                ln2 = new double[layers][][], pre = new double[layers][][], act = new double[layers][][];
        final double[][][][] prob = new double[layers][][][];
        final Map<String, double[][]> u = new LinkedHashMap<>();
        double[][] h;

        Seq(int[] tok) {
            this.tok = tok;
            this.T = tok.length;
        }
    }

    private Seq forward(int[] tok) {
        Seq s = new Seq(tok);
        int T = s.T;
        double[] E = p("embed.token"), P = p("embed.position");
        s.x[0] = new double[T][d];
        for (int t = 0; t < T; t++) for (int j = 0; j < d; j++) s.x[0][t][j] = E[tok[t] * d + j] + P[t * d + j];
        for (int l = 0; l < layers; l++) {
            String pre = "layers." + l + ".";
            s.ln1[l] = layerNorm(s.x[l], p(pre + "ln1.gain"), p(pre + "ln1.bias"));
            s.q[l] = linear(s, pre + "attn.q", s.ln1[l]);
            s.k[l] = linear(s, pre + "attn.k", s.ln1[l]);
            s.v[l] = linear(s, pre + "attn.v", s.ln1[l]);
            s.prob[l] = new double[heads][T][T];
            s.y[l] = new double[T][d];
            for (int h = 0; h < heads; h++) {
                for (int t = 0; t < T; t++) {
                    double[] score = new double[t + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int w = 0; w <= t; w++) {
                        double dot = 0;
                        for (int i = h * hd; i < (h + 1) * hd; i++) dot += s.q[l][t][i] * s.k[l][w][i];
                        score[w] = dot / Math.sqrt(hd);
                        max = Math.max(max, score[w]);
                    }
                    double z = 0;
                    for (int w = 0; w <= t; w++) z += Math.exp(score[w] - max);
                    for (int w = 0; w <= t; w++) s.prob[l][h][t][w] = Math.exp(score[w] - max) / z;
                    for (int i = h * hd; i < (h + 1) * hd; i++) {
                        double acc = 0;
                        for (int w = 0; w <= t; w++) acc += s.prob[l][h][t][w] * s.v[l][w][i];
                        s.y[l][t][i] = acc;
                    }
                }
            }
            double[][] o = linear(s, pre + "attn.o", s.y[l]);
            s.mid[l] = add(s.x[l], o);
            s.ln2[l] = layerNorm(s.mid[l], p(pre + "ln2.gain"), p(pre + "ln2.bias"));
            s.pre[l] = linear(s, pre + "mlp.up", s.ln2[l]);
            s.act[l] = new double[T][dFF];
            for (int t = 0; t < T; t++) for (int j = 0; j < dFF; j++) s.act[l][t][j] = gelu(s.pre[l][t][j]);
            s.x[l + 1] = add(s.mid[l], linear(s, pre + "mlp.down", s.act[l]));
        }
        s.h = layerNorm(s.x[layers], p("ln_f.gain"), p("ln_f.bias"));
        return s;
    }

    /** Mean next-token cross-entropy; gradients of it into {@code g} unless null. */
    double lm(int[][] tokens, Map<String, double[]> g) {
        int count = tokens.length * (tokens[0].length - 1);
        double[] E = p("embed.token");
        double loss = 0;
        for (int[] seq : tokens) {
            Seq s = forward(seq);
            double[][] dh = new double[s.T][d];
            for (int t = 0; t < s.T - 1; t++) {
                double[] logits = new double[vocab];
                for (int w = 0; w < vocab; w++) for (int j = 0; j < d; j++) logits[w] += s.h[t][j] * E[w * d + j];
                double[] prob = softmax(logits);
                int target = seq[t + 1];
                loss -= Math.log(prob[target]);
                if (g == null) continue;
                for (int w = 0; w < vocab; w++) {
                    double dz = (prob[w] - (w == target ? 1 : 0)) / count;
                    for (int j = 0; j < d; j++) {
                        dh[t][j] += dz * E[w * d + j];
                        g.get("embed.token")[w * d + j] += dz * s.h[t][j];
                    }
                }
            }
            if (g != null) backward(s, dh, g);
        }
        return loss / count;
    }

    /** Mean cross-entropy of the mean-pooled head; gradients into {@code g} unless null. */
    double classify(int[][] tokens, int[] labels, Map<String, double[]> g) {
        int batch = tokens.length;
        double[] W = p("head.weight"), bias = p("head.bias");
        double loss = 0;
        for (int b = 0; b < batch; b++) {
            Seq s = forward(tokens[b]);
            double[] pooled = new double[d];
            for (int t = 0; t < s.T; t++) for (int j = 0; j < d; j++) pooled[j] += s.h[t][j] / s.T;
            double[] logits = new double[classes];
            for (int c = 0; c < classes; c++) {
                logits[c] = bias[c];
                for (int j = 0; j < d; j++) logits[c] += pooled[j] * W[c * d + j];
            }
            double[] prob = softmax(logits);
            loss -= Math.log(prob[labels[b]]);
            if (g == null) continue;
            double[] dPooled = new double[d];
            for (int c = 0; c < classes; c++) {
                double dz = (prob[c] - (c == labels[b] ? 1 : 0)) / batch;
                g.get("head.bias")[c] += dz;
                for (int j = 0; j < d; j++) {
                    g.get("head.weight")[c * d + j] += dz * pooled[j];
                    dPooled[j] += dz * W[c * d + j];
                }
            }
            double[][] dh = new double[s.T][d];
            for (int t = 0; t < s.T; t++) for (int j = 0; j < d; j++) dh[t][j] = dPooled[j] / s.T;
            backward(s, dh, g);
        }
        return loss / batch;
    }

    private void backward(Seq s, double[][] dh, Map<String, double[]> g) {
        int T = s.T;
        double[][] dx = layerNormBackward(s.x[layers], dh, "ln_f", g);
        for (int l = layers - 1; l >= 0; l--) {
            String pre = "layers." + l + ".";
            // x[l+1] = mid + down(gelu(up(ln2(mid))))
            double[][] dAct = linearBackward(s, pre + "mlp.down", s.act[l], dx, g);
            double[][] dPre = new double[T][dFF];
            for (int t = 0; t < T; t++) for (int j = 0; j < dFF; j++) dPre[t][j] = dAct[t][j] * geluSlope(s.pre[l][t][j]);
            double[][] dLn2 = linearBackward(s, pre + "mlp.up", s.ln2[l], dPre, g);
            double[][] dMid = add(dx, layerNormBackward(s.mid[l], dLn2, pre + "ln2", g));
            // mid = x + o(attention)
            double[][] dy = linearBackward(s, pre + "attn.o", s.y[l], dMid, g);
            double[][] dq = new double[T][d], dk = new double[T][d], dv = new double[T][d];
            for (int h = 0; h < heads; h++) {
                for (int t = 0; t < T; t++) {
                    double[] P = s.prob[l][h][t];
                    double[] dP = new double[t + 1];
                    for (int w = 0; w <= t; w++) {
                        for (int i = h * hd; i < (h + 1) * hd; i++) {
                            dP[w] += dy[t][i] * s.v[l][w][i];
                            dv[w][i] += P[w] * dy[t][i];
                        }
                    }
                    for (int w = 0; w <= t; w++) {
                        double dScore = 0;
                        for (int uu = 0; uu <= t; uu++) dScore += dP[uu] * P[uu] * ((uu == w ? 1 : 0) - P[w]);
                        for (int i = h * hd; i < (h + 1) * hd; i++) {
                            dq[t][i] += dScore * s.k[l][w][i] / Math.sqrt(hd);
                            dk[w][i] += dScore * s.q[l][t][i] / Math.sqrt(hd);
                        }
                    }
                }
            }
            double[][] dLn1 = add(add(linearBackward(s, pre + "attn.q", s.ln1[l], dq, g),
                    linearBackward(s, pre + "attn.k", s.ln1[l], dk, g)), linearBackward(s, pre + "attn.v", s.ln1[l], dv, g));
            dx = add(dMid, layerNormBackward(s.x[l], dLn1, pre + "ln1", g));
        }
        for (int t = 0; t < T; t++) {
            for (int j = 0; j < d; j++) {
                g.get("embed.token")[s.tok[t] * d + j] += dx[t][j];
                g.get("embed.position")[t * d + j] += dx[t][j];
            }
        }
    }

    private int width(String linear, boolean input) {
        String kind = linear.substring(linear.indexOf('.', "layers.".length()) + 1);
        if (kind.equals(KINDS[4])) return input ? d : dFF;
        if (kind.equals(KINDS[5])) return input ? dFF : d;
        return d;
    }

    private double[][] linear(Seq s, String name, double[][] x) {
        int in = width(name, true), out = width(name, false), T = x.length;
        double[] W = p(name + ".weight"), b = p(name + ".bias");
        double[][] y = new double[T][out];
        boolean adapted = targets.contains(name);
        double[][] u = adapted ? new double[T][rank] : null;
        for (int t = 0; t < T; t++) {
            if (adapted) {
                double[] A = p(name + ".lora_A");
                for (int r = 0; r < rank; r++) for (int i = 0; i < in; i++) u[t][r] += x[t][i] * A[r * in + i];
            }
            for (int o = 0; o < out; o++) {
                double acc = b[o];
                for (int i = 0; i < in; i++) acc += x[t][i] * W[o * in + i];
                if (adapted) {
                    double[] B = p(name + ".lora_B");
                    for (int r = 0; r < rank; r++) acc += scale * u[t][r] * B[o * rank + r];
                }
                y[t][o] = acc;
            }
        }
        if (adapted) s.u.put(name, u);
        return y;
    }

    private double[][] linearBackward(Seq s, String name, double[][] x, double[][] dy, Map<String, double[]> g) {
        int in = width(name, true), out = width(name, false), T = x.length;
        double[] W = p(name + ".weight");
        double[] gW = g.get(name + ".weight"), gb = g.get(name + ".bias");
        double[][] dx = new double[T][in];
        boolean adapted = targets.contains(name);
        for (int t = 0; t < T; t++) {
            for (int o = 0; o < out; o++) {
                gb[o] += dy[t][o];
                for (int i = 0; i < in; i++) {
                    gW[o * in + i] += dy[t][o] * x[t][i];
                    dx[t][i] += dy[t][o] * W[o * in + i];
                }
            }
            if (!adapted) continue;
            double[] A = p(name + ".lora_A"), B = p(name + ".lora_B");
            double[] gA = g.get(name + ".lora_A"), gB = g.get(name + ".lora_B");
            double[] u = s.u.get(name)[t];
            for (int r = 0; r < rank; r++) {
                double du = 0;
                for (int o = 0; o < out; o++) {
                    du += scale * dy[t][o] * B[o * rank + r];
                    gB[o * rank + r] += scale * dy[t][o] * u[r];
                }
                for (int i = 0; i < in; i++) {
                    gA[r * in + i] += du * x[t][i];
                    dx[t][i] += du * A[r * in + i];
                }
            }
        }
        return dx;
    }

    private double[][] layerNorm(double[][] x, double[] gain, double[] bias) {
        double[][] y = new double[x.length][d];
        for (int t = 0; t < x.length; t++) {
            double[] xhat = normalize(x[t]);
            for (int j = 0; j < d; j++) y[t][j] = xhat[j] * gain[j] + bias[j];
        }
        return y;
    }

    private double[] normalize(double[] row) {
        double mean = 0, var = 0;
        for (double v : row) mean += v / d;
        for (double v : row) var += (v - mean) * (v - mean) / d;
        double[] xhat = new double[d];
        for (int j = 0; j < d; j++) xhat[j] = (row[j] - mean) / Math.sqrt(var + EPS);
        return xhat;
    }

    /** Through the Jacobian {@code d xhat_j / d x_i = rstd (delta_ij - 1/d - xhat_i xhat_j / d)}. */
    private double[][] layerNormBackward(double[][] x, double[][] dy, String prefix, Map<String, double[]> g) {
        double[] gain = p(prefix + ".gain"), gGain = g.get(prefix + ".gain"), gBias = g.get(prefix + ".bias");
        double[][] dx = new double[x.length][d];
        for (int t = 0; t < x.length; t++) {
            double mean = 0, var = 0;
            for (double v : x[t]) mean += v / d;
            for (double v : x[t]) var += (v - mean) * (v - mean) / d;
            double rstd = 1 / Math.sqrt(var + EPS);
            double[] xhat = normalize(x[t]);
            for (int j = 0; j < d; j++) {
                gGain[j] += dy[t][j] * xhat[j];
                gBias[j] += dy[t][j];
            }
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    double jac = rstd * ((i == j ? 1 : 0) - 1.0 / d - xhat[i] * xhat[j] / d);
                    dx[t][i] += dy[t][j] * gain[j] * jac;
                }
            }
        }
        return dx;
    }

    static double gelu(double x) {
        return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
    }

    /** gelu'(x) written with sech^2 = 1 / cosh^2. */
    static double geluSlope(double x) {
        double z = Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x);
        double dz = Math.sqrt(2 / Math.PI) * (1 + 3 * 0.044715 * x * x);
        double sech = 1 / Math.cosh(z);
        return 0.5 * (1 + Math.tanh(z)) + 0.5 * x * sech * sech * dz;
    }

    private static double[] softmax(double[] z) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (double v : z) max = Math.max(max, v);
        double[] p = new double[z.length];
        for (int i = 0; i < z.length; i++) sum += p[i] = Math.exp(z[i] - max);
        for (int i = 0; i < z.length; i++) p[i] /= sum;
        return p;
    }

    private static double[][] add(double[][] a, double[][] b) {
        double[][] c = new double[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) for (int j = 0; j < a[0].length; j++) c[i][j] = a[i][j] + b[i][j];
        return c;
    }
}
