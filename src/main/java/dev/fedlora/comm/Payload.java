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

    /** True if every value of every array in {@code groups} is finite. */
    static boolean allFinite(float[][]... groups) {
        for (float[][] group : groups) {
            for (float[] t : group) {
                for (float v : t) if (!Float.isFinite(v)) return false;
            }
        }
        return true;
    }

    /** The Euclidean norm of all values of {@code groups}, summed in order in double. */
    static double norm(float[][]... groups) {
        double s = 0;
        for (float[][] group : groups) {
            for (float[] t : group) {
                for (float v : t) s += (double) v * v;
            }
        }
        return Math.sqrt(s);
    }

    /** A named array of values with its shape (rows x cols, or one dimension when cols is 0). */
    record Tensor(float[] values, int rows, int cols) {
        public static Tensor vector(float[] values) {
            return new Tensor(values, values.length, 0);
        }
    }
}
