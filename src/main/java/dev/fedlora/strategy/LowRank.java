package dev.fedlora.strategy;

import dev.fedlora.model.Adapter;
import dev.fedlora.model.LoraTarget;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * Products and norms of LoRA factors, in double: {@code B} is out x r and {@code A} is r x in, both
 * row-major floats as in {@link Adapter}; products are out x in, row-major. Shared by the HetLoRA
 * (product norms, slot magnitudes), FlexLoRA (products, best approximation) and FLoRA (products)
 * strategies.
 */
public final class LowRank {
    private LowRank() {}

    /** A rank-{@code r} factorisation {@code B A}: {@code b} out x r, {@code a} r x in, row-major. */
    public record Factors(float[] b, float[] a) {}

    /** {@code acc += weight * B A}. */
    public static void addProduct(double[] acc, float[] b, float[] a, int out, int r, int in, double weight) {
        for (int i = 0; i < out; i++) {
            int row = i * in;
            for (int j = 0; j < r; j++) {
                double bij = weight * b[i * r + j];
                if (bij == 0) continue;
                int from = j * in;
                for (int c = 0; c < in; c++) acc[row + c] += bij * a[from + c];
            }
        }
    }

    /**
     * {@code ||B A||_F}, without forming the product: {@code ||B A||_F^2 = trace((B^T B)(A A^T))},
     * a sum over r x r Gram matrices.
     */
    public static double productNorm(float[] b, float[] a, int out, int r, int in) {
        double squared = 0;
        for (int p = 0; p < r; p++) {
            for (int q = 0; q < r; q++) {
                double bb = 0;
                for (int i = 0; i < out; i++) bb += (double) b[i * r + p] * b[i * r + q];
                double aa = 0;
                for (int c = 0; c < in; c++) aa += (double) a[p * in + c] * a[q * in + c];
                squared += bb * aa;
            }
        }
        return Math.sqrt(Math.max(0, squared));
    }

    /** Per LoRA target {@code t} (by index), {@code ||B_t A_t||_F}. */
    public static double[] productNorms(Adapter p) {
        double[] norms = new double[p.layout.targets().size()];
        for (LoraTarget t : p.layout.targets()) {
            norms[t.index()] = productNorm(p.b(t), p.a(t), t.out(), p.rank, t.in());
        }
        return norms;
    }

    /** Per rank slot {@code j}, {@code sum_t ||B_t[:, j]|| * ||A_t[j, :]||}: the slot's share of the adapter. */
    public static double[] slotMagnitudes(Adapter p) {
        double[] magnitude = new double[p.rank];
        for (LoraTarget t : p.layout.targets()) {
            int in = t.in();
            int out = t.out();
            float[] a = p.a(t);
            float[] b = p.b(t);
            for (int j = 0; j < p.rank; j++) {
                double aa = 0;
                for (int c = 0; c < in; c++) aa += (double) a[j * in + c] * a[j * in + c];
                double bb = 0;
                for (int i = 0; i < out; i++) bb += (double) b[i * p.rank + j] * b[i * p.rank + j];
                magnitude[j] += Math.sqrt(aa) * Math.sqrt(bb);
            }
        }
        return magnitude;
    }

    /**
     * The best rank-{@code r} approximation of the out x in matrix {@code m} (Eckart–Young) as
     * {@code B A} with orthonormal rows of {@code A}: with {@code m = U S V^T},
     * {@code A = V^T[:r, :]} and {@code B = m A^T = U[:, :r] S[:r]}.
     *
     * <p>{@code V} comes from the eigendecomposition of the smaller Gram matrix, computed as its
     * SVD ({@code m^T m = V S^2 V^T} when {@code in <= out}; otherwise {@code m m^T = U S^2 U^T} and
     * {@code V[:, j] = m^T U[:, j] / s_j}), several times faster than an SVD of a wide {@code m}. The rows of {@code A} are then orthonormalised (modified Gram–Schmidt); a row whose
     * singular value is 0 relative to the largest (a rank-deficient {@code m}) is replaced by the
     * next standard basis vector that is not in the span of the rows before it, so {@code A} always
     * has orthonormal rows and the matching column of {@code B} is 0. Signs are fixed so that the
     * entry of largest magnitude in each row of {@code A} is positive (ties: the first), which
     * makes the factors a function of {@code m} alone.
     *
     * @throws IllegalArgumentException if {@code r > min(out, in)}
     */
    public static Factors bestApproximation(double[] m, int out, int in, int r) {
        if (r > Math.min(out, in)) {
            throw new IllegalArgumentException("rank " + r + " exceeds min(" + out + ", " + in + ")");
        }
        double[][] a = orthonormalRows(rightSingularDirections(m, out, in, r), in);
        for (double[] row : a) {
            int largest = 0;
            for (int c = 1; c < in; c++) if (Math.abs(row[c]) > Math.abs(row[largest])) largest = c;
            if (row[largest] < 0) for (int c = 0; c < in; c++) row[c] = 0.0 - row[c]; // 0.0 - x: no negative zeros
        }
        float[] b = new float[out * r];
        float[] af = new float[r * in];
        for (int j = 0; j < r; j++) {
            for (int c = 0; c < in; c++) af[j * in + c] = (float) a[j][c];
            for (int i = 0; i < out; i++) {
                double s = 0;
                for (int c = 0; c < in; c++) s += m[i * in + c] * a[j][c];
                b[i * r + j] = (float) s;
            }
        }
        return new Factors(b, af);
    }

    /** {@code V[:, j] s_j} (or {@code V[:, j]} when {@code in <= out}) for the {@code r} largest singular values, as rows. */
    private static double[][] rightSingularDirections(double[] m, int out, int in, int r) {
        boolean wide = in > out;
        int n = wide ? out : in;
        double[][] gram = new double[n][n];
        if (wide) {
            for (int p = 0; p < out; p++) {
                for (int q = p; q < out; q++) {
                    double s = 0;
                    for (int c = 0; c < in; c++) s += m[p * in + c] * m[q * in + c];
                    gram[p][q] = s;
                    gram[q][p] = s;
                }
            }
        } else {
            for (int i = 0; i < out; i++) {
                for (int p = 0; p < in; p++) {
                    double mp = m[i * in + p];
                    if (mp == 0) continue;
                    for (int q = p; q < in; q++) gram[p][q] += mp * m[i * in + q];
                }
            }
            for (int p = 0; p < in; p++) for (int q = 0; q < p; q++) gram[p][q] = gram[q][p];
        }
        // the SVD of a symmetric positive semi-definite matrix is its eigendecomposition, values descending
        RealMatrix eigenvectors = new SingularValueDecomposition(new Array2DRowRealMatrix(gram, false)).getU();
        double[][] rows = new double[r][];
        for (int j = 0; j < r; j++) {
            double[] e = eigenvectors.getColumn(j);
            if (!wide) {
                rows[j] = e;
                continue;
            }
            rows[j] = new double[in];
            for (int i = 0; i < out; i++) {
                if (e[i] == 0) continue;
                for (int c = 0; c < in; c++) rows[j][c] += e[i] * m[i * in + c];
            }
        }
        return rows;
    }

    /**
     * The rows made orthonormal in order (modified Gram–Schmidt, applied twice); a row that is 0
     * relative to the longest row, or in the span of the rows before it, is replaced by the next
     * standard basis vector that is not.
     */
    private static double[][] orthonormalRows(double[][] rows, int n) {
        double longest = 0;
        for (double[] row : rows) longest = Math.max(longest, norm(row));
        double[][] out = new double[rows.length][];
        int nextBasis = 0;
        for (int j = 0; j < rows.length; j++) {
            double[] v = rows[j].clone();
            double before = norm(v);
            double after = before > 1e-10 * longest ? orthogonalise(v, out, j) : 0;
            while (after <= 1e-6 * before || after == 0) {
                v = new double[n];
                v[nextBasis++] = 1;
                before = 1;
                after = orthogonalise(v, out, j);
            }
            for (int c = 0; c < n; c++) v[c] /= after;
            out[j] = v;
        }
        return out;
    }

    /** Removes from {@code v} its components along {@code basis[0..count)} (twice); returns what is left of its norm. */
    private static double orthogonalise(double[] v, double[][] basis, int count) {
        for (int pass = 0; pass < 2; pass++) {
            for (int k = 0; k < count; k++) {
                double dot = 0;
                for (int c = 0; c < v.length; c++) dot += v[c] * basis[k][c];
                for (int c = 0; c < v.length; c++) v[c] -= dot * basis[k][c];
            }
        }
        return norm(v);
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) s += x * x;
        return Math.sqrt(s);
    }
}
