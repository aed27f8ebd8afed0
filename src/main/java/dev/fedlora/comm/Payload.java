package dev.fedlora.comm;

import java.io.Serializable;
import java.util.Map;

/** What a client uploads: dense parameters or a sparse vector. */
public interface Payload extends Serializable {
    /** True if every value sent is finite. */
    boolean isFinite();

    /** The Euclidean norm of the values sent. */
    double norm();

    /**
     * The values sent as named arrays with their shapes, in the order of the wire (for {@code .npy}
     * dumps): name to {@link Tensor}.
     */
    Map<String, Tensor> tensors();

    /** A named array of values with its shape (rows x cols, or one dimension when cols is 0). */
    record Tensor(float[] values, int rows, int cols) {
        public static Tensor vector(float[] values) {
            return new Tensor(values, values.length, 0);
        }
    }
}
