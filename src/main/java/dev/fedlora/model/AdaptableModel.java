package dev.fedlora.model;

import dev.fedlora.data.Examples;
import java.io.Serializable;

/**
 * A frozen base model with the LoRA targets and dense trainables chosen for it: the seam between
 * the federated machinery and any model. Strategies see only its {@link #layout()}; clients train
 * through the {@link TrainableNetwork}s it builds. Implementations are immutable and shared by every
 * client of a JVM.
 */
public interface AdaptableModel extends Serializable {
    /** The {@code model.type} it implements, e.g. {@code mlp}. */
    String type();

    /** The adapter's targets and dense tensors, in flattening order. */
    AdapterLayout layout();

    /**
     * This model with {@code delta} merged into the frozen weights of its targets
     * ({@code W_t + D_t}); this model itself when there is no delta.
     *
     * @throws IllegalArgumentException if the delta names a tensor this model does not have or has
     *     the wrong size for it
     */
    AdaptableModel merged(BaseDelta delta);

    /** A network of rank {@code rank} and LoRA scale {@code scale}, with its own buffers (one per thread). */
    TrainableNetwork network(int rank, float scale);

    /**
     * The (M, N, K) of every matrix product one local training step of batch {@code batch} at rank
     * {@code rank} performs, forward then backward, for benchmarks: a step costs
     * {@code sum 2 M N K} floating-point operations in them.
     */
    java.util.List<int[]> stepProducts(int rank, int batch);

    /**
     * Checks that this model can read {@code data}'s examples with {@code data.classes()} classes.
     *
     * @throws IllegalArgumentException naming the data set and what does not fit
     */
    void checkData(Examples data);
}
