package dev.fedlora.data;

import java.util.SplittableRandom;

/**
 * Picks the label of each example dealt to one client. Classes are passed as a bit mask
 * (bit k set: class k can still be drawn), so a choice is always among classes that have examples
 * left; at most {@link #MAX_CLASSES} classes.
 */
interface ClassChooser {
    /** The most classes a mask holds. */
    int MAX_CLASSES = 31;

    /** The next class, one whose bit is set in {@code available} (which is never 0). */
    int next(int available);

    /**
     * Classes drawn from a label mix pi ~ Dirichlet(alpha, ..., alpha), renormalised over the
     * available classes: P(k) = pi_k / sum_{j available} pi_j.
     */
    static ClassChooser dirichlet(int classes, double alpha, SplittableRandom rng) {
        return new DirichletChooser(Dirichlet.logGammas(alpha, classes, rng), rng);
    }

    /**
     * The uniform mix, stratified: classes taken in turn in a seeded order, so the label counts of
     * a client differ by at most one while every class has examples left.
     */
    static ClassChooser balanced(int classes, SplittableRandom rng) {
        return new BalancedChooser(classes, rng);
    }

    /** {@link #balanced} for a high-quality client, {@link #dirichlet} for the others. */
    static ClassChooser forClient(int classes, boolean highQuality, double alpha, SplittableRandom rng) {
        return highQuality ? balanced(classes, rng) : dirichlet(classes, alpha, rng);
    }

    final class DirichletChooser implements ClassChooser {
        private final double[] logWeights;
        private final SplittableRandom rng;
        private final double[] cumulative;
        private final int classes;
        private int normalisedFor;

        private DirichletChooser(double[] logWeights, SplittableRandom rng) {
            this.logWeights = logWeights;
            this.rng = rng;
            this.classes = logWeights.length;
            this.cumulative = new double[classes];
        }

        @Override
        public int next(int available) {
            if (available != normalisedFor) normalise(available);
            double u = rng.nextDouble() * cumulative[classes - 1];
            int last = -1;
            for (int k = 0; k < classes; k++) {
                if ((available & (1 << k)) == 0) continue;
                if (u < cumulative[k]) return k;
                last = k;
            }
            return last;
        }

        /** Cumulative weights exp(log g_k - max over available log g_j); unavailable classes add 0. */
        private void normalise(int available) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < classes; k++) {
                if ((available & (1 << k)) != 0) max = Math.max(max, logWeights[k]);
            }
            double sum = 0;
            for (int k = 0; k < classes; k++) {
                if ((available & (1 << k)) != 0) sum += Math.exp(logWeights[k] - max);
                cumulative[k] = sum;
            }
            normalisedFor = available;
        }
    }

    final class BalancedChooser implements ClassChooser {
        private final int[] order;
        private int position;

        private BalancedChooser(int classes, SplittableRandom rng) {
            order = new int[classes];
            for (int k = 0; k < classes; k++) order[k] = k;
            for (int k = classes - 1; k > 0; k--) {
                int j = rng.nextInt(k + 1);
                int swap = order[k];
                order[k] = order[j];
                order[j] = swap;
            }
        }

        @Override
        public int next(int available) {
            while (true) {
                int k = order[position];
                position = (position + 1) % order.length;
                if ((available & (1 << k)) != 0) return k;
            }
        }
    }
}
