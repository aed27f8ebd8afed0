package dev.fedlora.model.transformer;

/**
 * Softmax cross-entropy of one row of logits {@code z} against a target class:
 * {@code loss = log sum_j exp(z_j) - z_target}, gradient
 * {@code dz_j = w (softmax(z)_j - [j = target])} for a weight {@code w} (1 / number of rows in
 * the mean). Sums in double.
 */
final class SoftmaxCrossEntropy {
    private SoftmaxCrossEntropy() {}

    /** The row's loss; writes its gradient times {@code weight} into {@code dz} unless null. */
    static double row(float[] z, int off, int width, int target, float[] dz, float weight) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < width; j++) max = Math.max(max, z[off + j]);
        double sum = 0;
        for (int j = 0; j < width; j++) sum += Math.exp(z[off + j] - max);
        double logSum = Math.log(sum);
        if (dz != null) {
            for (int j = 0; j < width; j++) {
                double p = Math.exp(z[off + j] - max - logSum);
                dz[off + j] = (float) (weight * (j == target ? p - 1.0 : p));
            }
        }
        return logSum + max - z[off + target];
    }

    /**
     * {@link #row} with {@link FastExp} ({@code model.fast-math}): one float exp per entry, kept in
     * {@code dz} and scaled there, instead of two double-precision exps; the sum and the log stay
     * in double.
     */
    static double rowFast(float[] z, int off, int width, int target, float[] dz, float weight) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < width; j++) max = Math.max(max, z[off + j]);
        double sum = 0;
        if (dz == null) {
            for (int j = 0; j < width; j++) sum += FastExp.exp(z[off + j] - max);
        } else {
            for (int j = 0; j < width; j++) {
                float e = FastExp.exp(z[off + j] - max);
                dz[off + j] = e;
                sum += e;
            }
            float w = (float) (weight / sum);
            for (int j = 0; j < width; j++) dz[off + j] *= w;
            dz[off + target] -= weight;
        }
        return Math.log(sum) + max - z[off + target];
    }

    /** The first index of the row's largest value. */
    static int argmax(float[] z, int off, int width) {
        int best = 0;
        for (int j = 1; j < width; j++) if (z[off + j] > z[off + best]) best = j;
        return best;
    }
}
