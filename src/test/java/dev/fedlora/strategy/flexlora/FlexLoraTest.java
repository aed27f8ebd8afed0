package dev.fedlora.strategy.flexlora;

import static dev.fedlora.strategy.Adapters.assertAdapter;
import static dev.fedlora.strategy.Adapters.f;
import static dev.fedlora.strategy.Adapters.fold;
import static dev.fedlora.strategy.Adapters.params;
import static dev.fedlora.strategy.Adapters.someGlobal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.fedlora.model.Adapter;
import dev.fedlora.model.AdapterLayout;
import dev.fedlora.strategy.Adapters;
import dev.fedlora.strategy.ClientUpdate;
import dev.fedlora.strategy.GlobalModel;
import dev.fedlora.strategy.LowRank;
import dev.fedlora.strategy.Strategy;
import dev.fedlora.strategy.TruncatedDownload;
import dev.fedlora.strategy.Upload;
import dev.fedlora.strategy.registry.Strategies;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.junit.jupiter.api.Test;

/** flexlora: SVD of the averaged products; each client gets the best approximation at its rank. */
class FlexLoraTest {
    private final Strategy strategy = new FlexLora();

    @Test
    void globalIsTheSvdOfTheWeightedMeanProduct() {
        // n = 3, 1: M = 3/4 [2 0 0; 0 0 0] + 1/4 [0 0 0; 0 1 0] = [1.5 0 0; 0 0.25 0],
        // singular values 1.5 and 0.25, U = I, V^T = [1 0 0; 0 1 0]
        Adapter first = params(1, f(1, 0, 0), f(2, 0), f(1, 1, 1, 1), f(1, 1));
        Adapter second = params(1, f(0, 1, 0), f(0, 1), f(5, 5, 5, 5), f(5, 5));

        GlobalModel next = fold(strategy, someGlobal(), List.of(
                Adapters.update(0, 3, 1, first), Adapters.update(1, 1, 1, second)));

        assertAdapter(
                f(1, 0, 0, 0, 1, 0), // A = V^T
                f(1.5, 0, 0, 0.25), // B = U S
                f(2, 2, 2, 2), // (3 * 1 + 1 * 5) / 4
                f(2, 2),
                next.adapter());
        // the rank-1 client gets the top singular triple; its error is the dropped singular value
        Adapter rank1 = strategy.download(next, 2).startFor(1);
        assertArrayEquals(f(1, 0, 0), rank1.a(0));
        assertArrayEquals(f(1.5, 0), rank1.b(0));
    }

    @Test
    void eachClientGetsTheBestApproximationAtItsRank() {
        AdapterLayout shape = dev.fedlora.model.MlpModel.layoutOf(6, 5, 4, 3);
        SplittableRandom rng = new SplittableRandom(42);
        GlobalModel global = Adapters.global(Adapter.init(shape, 4, rng));
        List<ClientUpdate> updates = new ArrayList<>();
        List<Adapter> trained = new ArrayList<>();
        long[] n = {7, 2, 5, 1};
        for (int k = 0; k < n.length; k++) {
            Adapter p = Adapter.init(shape, 1 + k, rng);
            for (int t = 0; t < p.targets(); t++) for (float[] b : new float[][] {p.b(t)}) for (int i = 0; i < b.length; i++) b[i] = (float) Adapter.gaussian(rng);
            trained.add(p);
            updates.add(Adapters.update(k, n[k], p.rank, p));
        }

        GlobalModel next = fold(strategy, global, updates);

        for (int l = 0; l < shape.targets().size(); l++) {
            int out = shape.targets().get(l).out();
            int in = shape.targets().get(l).in();
            RealMatrix mean = new Array2DRowRealMatrix(out, in);
            for (int k = 0; k < n.length; k++) mean = mean.add(product(trained.get(k), l).scalarMultiply(n[k] / 15.0));
            SingularValueDecomposition svd = new SingularValueDecomposition(mean);
            double[] s = svd.getSingularValues();
            for (int r = 1; r <= 4; r++) {
                RealMatrix received = product(strategy.download(next, 2).startFor(r), l);
                RealMatrix best = svd.getU().getSubMatrix(0, out - 1, 0, r - 1)
                        .multiply(svd.getS().getSubMatrix(0, r - 1, 0, r - 1))
                        .multiply(svd.getVT().getSubMatrix(0, r - 1, 0, in - 1));
                assertEquals(0, received.subtract(best).getFrobeniusNorm(), 1e-5 * s[0], "layer " + l + " rank " + r);
                double tail = 0;
                for (int i = r; i < s.length; i++) tail += s[i] * s[i];
                assertEquals(Math.sqrt(tail), mean.subtract(received).getFrobeniusNorm(), 1e-5 * s[0],
                        "Eckart-Young error, layer " + l + " rank " + r);
            }
            Adapter global4 = next.adapter();
            RealMatrix a = new Array2DRowRealMatrix(4, in);
            for (int j = 0; j < 4; j++) for (int c = 0; c < in; c++) a.setEntry(j, c, global4.a(l)[j * in + c]);
            RealMatrix gram = a.multiply(a.transpose());
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) assertEquals(i == j ? 1 : 0, gram.getEntry(i, j), 1e-6, "A A^T = I");
            }
        }
    }

    @Test
    void slotsBeyondTheRankOfTheMeanGetOrthonormalRowsOfAAndZeroColumnsOfB() {
        // one rank-1 client: M = [3; 4] [0 0 1] has rank 1, singular value 5; slot 1 has s = 0
        Adapter only = params(1, f(0, 0, 1), f(3, 4), f(0, 0, 0, 0), f(0, 0));

        GlobalModel next = fold(strategy, someGlobal(), List.of(Adapters.update(0, 2, 1, only)));

        float[] a = next.adapter().a(0);
        assertArrayEquals(f(0, 0, 1), Arrays.copyOf(a, 3), 1e-6f);
        assertArrayEquals(f(1, 0, 0), Arrays.copyOfRange(a, 3, 6), 1e-6f, "the first basis vector outside the span");
        assertArrayEquals(f(3, 0, 4, 0), next.adapter().b(0), 1e-6f);
    }

    @Test
    void wideAndTallLayersAgree() {
        // the same matrix and its transpose take the two Gram paths; both give the best rank-3
        // approximation U_3 S_3 V_3^T of the reference SVD (transposed for the tall one)
        SplittableRandom rng = new SplittableRandom(3);
        double[] m = new double[4 * 7];
        for (int i = 0; i < m.length; i++) m[i] = Adapter.gaussian(rng);
        double[] t = new double[7 * 4];
        for (int i = 0; i < 4; i++) for (int c = 0; c < 7; c++) t[c * 4 + i] = m[i * 7 + c];

        LowRank.Factors wide = LowRank.bestApproximation(m, 4, 7, 3);
        LowRank.Factors tall = LowRank.bestApproximation(t, 7, 4, 3);

        RealMatrix matrix = new Array2DRowRealMatrix(4, 7);
        for (int i = 0; i < 4; i++) for (int c = 0; c < 7; c++) matrix.setEntry(i, c, m[i * 7 + c]);
        SingularValueDecomposition svd = new SingularValueDecomposition(matrix);
        double[] expected = svd.getSingularValues();
        RealMatrix best = svd.getU().getSubMatrix(0, 3, 0, 2)
                .multiply(svd.getS().getSubMatrix(0, 2, 0, 2))
                .multiply(svd.getVT().getSubMatrix(0, 2, 0, 6));
        for (int j = 0; j < 3; j++) {
            assertEquals(expected[j], columnNorm(wide.b(), 4, 3, j), 1e-5, "wide s_" + j);
            assertEquals(expected[j], columnNorm(tall.b(), 7, 3, j), 1e-5, "tall s_" + j);
        }
        // float factors: each entry of B A is within a few float roundings of the double reference
        double tolerance = 1e-5 * expected[0];
        RealMatrix wideProduct = product(wide, 4, 3, 7);
        RealMatrix tallProduct = product(tall, 7, 3, 4);
        for (int i = 0; i < 4; i++) {
            for (int c = 0; c < 7; c++) {
                assertEquals(best.getEntry(i, c), wideProduct.getEntry(i, c), tolerance, "wide (B A)[" + i + "][" + c + "]");
                assertEquals(best.getEntry(i, c), tallProduct.getEntry(c, i), tolerance, "tall (B A)[" + c + "][" + i + "]");
            }
        }
    }

    /** {@code B A} of out x r {@code B} and r x in {@code A}, in double. */
    private static RealMatrix product(LowRank.Factors f, int out, int r, int in) {
        RealMatrix b = new Array2DRowRealMatrix(out, r);
        RealMatrix a = new Array2DRowRealMatrix(r, in);
        for (int i = 0; i < out; i++) for (int j = 0; j < r; j++) b.setEntry(i, j, f.b()[i * r + j]);
        for (int j = 0; j < r; j++) for (int c = 0; c < in; c++) a.setEntry(j, c, f.a()[j * in + c]);
        return b.multiply(a);
    }

    private static double columnNorm(float[] b, int rows, int cols, int j) {
        double s = 0;
        for (int i = 0; i < rows; i++) s += (double) b[i * cols + j] * b[i * cols + j];
        return Math.sqrt(s);
    }

    private static RealMatrix product(Adapter p, int layer) {
        int out = p.layout.targets().get(layer).out();
        int in = p.layout.targets().get(layer).in();
        RealMatrix b = new Array2DRowRealMatrix(out, p.rank);
        RealMatrix a = new Array2DRowRealMatrix(p.rank, in);
        for (int i = 0; i < out; i++) for (int j = 0; j < p.rank; j++) b.setEntry(i, j, p.b(layer)[i * p.rank + j]);
        for (int j = 0; j < p.rank; j++) for (int c = 0; c < in; c++) a.setEntry(j, c, p.a(layer)[j * in + c]);
        return b.multiply(a);
    }

    @Test
    void downloadAndUploadAreDenseAtTheClientsRank() {
        var download = strategy.download(someGlobal(), 1);
        Adapter trained = params(1, f(1, 2, 3), f(4, 5), f(1, 2, 3, 4), f(1, -1));

        assertInstanceOf(TruncatedDownload.class, download);
        assertEquals(44, download.bytesFor(1));
        Upload upload = strategy.upload(download, download.startFor(1), trained);
        assertSame(trained, upload.payload());
        assertEquals(44, upload.bytes());
        assertInstanceOf(FlexLora.class, Strategies.create(Adapters.config("strategy.name = flexlora")));
    }

    @Test
    void noUpdatesReturnThePreviousModel() {
        GlobalModel previous = someGlobal();

        assertSame(previous, strategy.finish(strategy.zero(previous.adapter().layout, previous.adapter().rank), previous, 1));
    }
}
