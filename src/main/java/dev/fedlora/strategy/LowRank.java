package dev.fedlora.strategy;

import dev.fedlora.model.LoraParams;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * Products and norms of LoRA factors, in double: {@code B} is out x r and {@code A} is r x in, both
 * row-major floats as in {@link LoraParams}; products are out x in, row-major.
 */
final class LowRank {
    private LowRank() {}

    /** A rank-{@code r} factorisation {@code B A}: {@code b} out x r, {@code a} r x in, row-major. */
    record Factors(float[] b, float[] a) {}

    /** {@code acc += weight * B A}. */
    static void addProduct(double[] acc, float[] b, float[] a, int out, int r, int in, double weight) {
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
    static double productNorm(float[] b, float[] a, int out, int r, int in) {
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

    /** Per adapted layer {@code l}, {@code ||B_l A_l||_F}. */
    static double[] productNorms(LoraParams p) {
        double[] norms = new double[p.a.length];
        for (int l = 0; l < norms.length; l++) {
            norms[l] = productNorm(p.b[l], p.a[l], p.shape.out(l), p.rank, p.shape.in(l));
        }
        return norms;
    }

    /** Per rank slot {@code j}, {@code sum_l ||B_l[:, j]|| * ||A_l[j, :]||}: the slot's share of the adapter. */
    static double[] slotMagnitudes(LoraParams p) {
        double[] magnitude = new double[p.rank];
        for (int l = 0; l < p.a.length; l++) {
            int in = p.shape.in(l);
            int out = p.shape.out(l);
            for (int j = 0; j < p.rank; j++) {
                double aa = 0;
                for (int c = 0; c < in; c++) aa += (double) p.a[l][j * in + c] * p.a[l][j * in + c];
                double bb = 0;
                for (int i = 0; i < out; i++) bb += (double) p.b[l][i * p.rank + j] * p.b[l][i * p.rank + j];
                magnitude[j] += Math.sqrt(aa) * Math.sqrt(bb);
            }
        }
        return magnitude;
    }

    /**
     * The best rank-{@code r} approximation of the out x in matrix {@code m} (Eckart–Young), from its
     * SVD {@code m = U S V^T}: {@code B = U[:, :r] S[:r]}, {@code A = V^T[:r, :]}. Signs are fixed so
     * that the entry of largest magnitude in each row of {@code A} is positive (ties: the first),
     * which makes the factors a function of {@code m} alone.
     */
    static Factors bestApproximation(double[] m, int out, int in, int r) {
        if (r > Math.min(out, in)) {
            throw new IllegalArgumentException("rank " + r + " exceeds min(" + out + ", " + in + ")");
        }
        double[][] rows = new double[out][in];
        for (int i = 0; i < out; i++) System.arraycopy(m, i * in, rows[i], 0, in);
        SingularValueDecomposition svd = new SingularValueDecomposition(new Array2DRowRealMatrix(rows, false));
        RealMatrix u = svd.getU();
        RealMatrix v = svd.getV();
        double[] s = svd.getSingularValues();
        float[] b = new float[out * r];
        float[] a = new float[r * in];
        for (int j = 0; j < r; j++) {
            int largest = 0;
            for (int c = 1; c < in; c++) {
                if (Math.abs(v.getEntry(c, j)) > Math.abs(v.getEntry(largest, j))) largest = c;
            }
            double sign = v.getEntry(largest, j) < 0 ? -1 : 1;
            for (int c = 0; c < in; c++) a[j * in + c] = (float) (sign * v.getEntry(c, j));
            for (int i = 0; i < out; i++) b[i * r + j] = (float) (sign * s[j] * u.getEntry(i, j));
        }
        return new Factors(b, a);
    }
}
