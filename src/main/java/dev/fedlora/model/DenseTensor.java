package dev.fedlora.model;

import java.io.Serializable;

/**
 * A tensor that is trained densely next to the LoRA factors (PEFT's "modules to save", such as a
 * new classification head): its name (e.g. {@code head.weight}), shape (rows x cols; a vector has
 * {@code cols = 0}), how it starts, and its position in the {@link AdapterLayout}.
 */
public record DenseTensor(String name, int index, int rows, int cols, Init init) implements Serializable {
    /** How a dense tensor starts in the initial global adapter. */
    public enum Init {
        /** N(0, 1 / cols): a fresh linear layer's weight. */
        GAUSSIAN_FAN_IN,
        /** All zeros: a fresh bias. */
        ZEROS
    }

    public DenseTensor {
        if (rows < 1 || cols < 0) {
            throw new IllegalArgumentException("dense tensor " + name + " needs rows >= 1, cols >= 0, found " + rows + " x " + cols);
        }
    }

    /** Number of values. */
    public int size() {
        return cols == 0 ? rows : rows * cols;
    }
}
