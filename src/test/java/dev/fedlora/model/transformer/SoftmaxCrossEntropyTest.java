package dev.fedlora.model.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SoftmaxCrossEntropyTest {
    @Test
    void lossGradientAndArgmax() {
        float[] z = {0.5f, -1f, 2f, 2f, 0f};
        float[] dz = new float[5];
        double loss = SoftmaxCrossEntropy.row(z, 0, 5, 1, dz, 0.5f);
        double sum = 0;
        for (float v : z) sum += Math.exp(v);
        assertEquals(Math.log(sum) - z[1], loss, 1e-12);
        for (int j = 0; j < 5; j++) {
            double p = Math.exp(z[j]) / sum;
            assertEquals(0.5 * (p - (j == 1 ? 1 : 0)), dz[j], 1e-7, "dz " + j);
            float keep = z[j];
            z[j] = keep + 1e-2f;
            double up = SoftmaxCrossEntropy.row(z, 0, 5, 1, null, 0f);
            z[j] = keep - 1e-2f;
            double down = SoftmaxCrossEntropy.row(z, 0, 5, 1, null, 0f);
            z[j] = keep;
            assertEquals(2 * dz[j], (up - down) / 2e-2, 1e-4, "finite difference " + j);
        }
        assertEquals(2, SoftmaxCrossEntropy.argmax(z, 0, 5), "ties go to the first index");
    }
}
