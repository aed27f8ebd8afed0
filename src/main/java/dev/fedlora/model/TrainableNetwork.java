package dev.fedlora.model;

import dev.fedlora.data.Examples;

/**
 * Forward and backward passes of a batch under an adapter, with the adapter's values as the only
 * trainable state: what local training and evaluation need from a model. One instance per thread;
 * buffers are reused across batches and clients.
 */
public interface TrainableNetwork {
    int rank();

    /** Sets the trainable values (same layout and rank) and clears the optimiser state. */
    void load(Adapter p);

    /** The current trainable values. */
    Adapter store();

    /** The gradients of the last {@link #forwardBackward} call, as an adapter. */
    Adapter gradients();

    /** Loads examples {@code idx[from..from+n)} of {@code data} as the current batch of size n. */
    void loadBatch(Examples data, int[] idx, int from, int n);

    /**
     * Forward and backward pass over the loaded batch of size {@code n}; gradients of the mean loss
     * are kept for {@link #sgdStep}.
     * @return summed loss over the batch
     */
    double forwardBackward(int n);

    /** Forward pass only: {summed loss, correct predictions} over the loaded batch of size {@code n}. */
    double[] evaluate(int n);

    /**
     * The predictions a batch of {@code n} examples makes, over which losses and accuracies are
     * means: {@code n} for a classifier (the default), one per next token for a language model.
     */
    default int predictions(int n) {
        return n;
    }

    /** Keeps the current trainable values as the proximal anchor (a client's downloaded start). */
    void anchorAtCurrent();

    /**
     * One step of SGD with heavy-ball momentum ({@code v = mu v + g; p -= lr v}) on the last
     * gradients, every {@code A} frozen when {@code trainA} is false and every {@code B} when
     * {@code trainB} is false (a frozen tensor and its velocity are not touched), plus with
     * {@code proximalMu > 0} FedProx's term: each trained tensor's gradient gains
     * {@code mu (p - p_anchor)}.
     */
    void sgdStep(double learningRate, double momentum, boolean trainA, boolean trainB, double proximalMu);

    /** {@link #sgdStep(double, double, boolean, boolean, double)} with every {@code B} trained. */
    default void sgdStep(double learningRate, double momentum, boolean trainA, double proximalMu) {
        sgdStep(learningRate, momentum, trainA, true, proximalMu);
    }
}
