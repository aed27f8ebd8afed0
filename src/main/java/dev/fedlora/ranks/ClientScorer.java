package dev.fedlora.ranks;

import dev.fedlora.model.Adapter;

/** Scores every client with a global adapter: its accuracy on the client's own held-out split. */
@FunctionalInterface
public interface ClientScorer {
    /** Validation accuracy of each client {@code 0..N-1}. */
    double[] validationAccuracy(Adapter adapter);
}
