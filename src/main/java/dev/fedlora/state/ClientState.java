package dev.fedlora.state;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * What one client keeps between its participations: a few float arrays whose meaning is the
 * strategy's (FedSA-LoRA: every target's {@code B}; FLASC with error feedback: the residual over
 * {@code theta}). Encoded big-endian as {@code int count}, then per array {@code int length} and its
 * floats, so equal states always encode to equal bytes.
 */
public record ClientState(float[][] arrays) implements Serializable {
    /** @throws IllegalArgumentException if there are no arrays or one is null */
    public ClientState {
        if (arrays == null) throw new IllegalArgumentException("a client state needs its arrays, found null");
        for (int i = 0; i < arrays.length; i++) {
            if (arrays[i] == null) throw new IllegalArgumentException("array " + i + " of a client state is null");
        }
    }

    /** The number of bytes {@link #encode} writes. */
    public int encodedSize() {
        long size = 4;
        for (float[] a : arrays) size += 4 + 4L * a.length;
        if (size > Integer.MAX_VALUE) throw new IllegalStateException("a client state of " + size + " bytes is too large");
        return (int) size;
    }

    /** Writes the encoding at the buffer's position. */
    public void encode(ByteBuffer out) {
        out.putInt(arrays.length);
        for (float[] a : arrays) {
            out.putInt(a.length);
            for (float v : a) out.putFloat(v);
        }
    }

    /**
     * The state encoded in {@code bytes[offset, offset + length)}.
     *
     * @throws IllegalArgumentException if those bytes are not one whole encoding
     */
    public static ClientState decode(byte[] bytes, int offset, int length) {
        ByteBuffer in = ByteBuffer.wrap(bytes, offset, length);
        try {
            int count = in.getInt();
            if (count < 0) throw new IllegalArgumentException("a client state with " + count + " arrays");
            float[][] arrays = new float[count][];
            for (int i = 0; i < count; i++) {
                int n = in.getInt();
                if (n < 0 || 4L * n > in.remaining()) throw new IllegalArgumentException("array " + i + " of length " + n
                        + " does not fit the " + in.remaining() + " bytes left");
                arrays[i] = new float[n];
                for (int j = 0; j < n; j++) arrays[i][j] = in.getFloat();
            }
            if (in.hasRemaining()) throw new IllegalArgumentException(in.remaining() + " bytes after the last array");
            return new ClientState(arrays);
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("a client state cut short after " + (in.position() - offset) + " bytes", e);
        }
    }

    /** Array {@code i}. */
    public float[] array(int i) {
        return arrays[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientState s && Arrays.deepEquals(arrays, s.arrays);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(arrays);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("ClientState[");
        for (int i = 0; i < arrays.length; i++) s.append(i == 0 ? "" : ", ").append(arrays[i].length).append(" floats");
        return s.append(']').toString();
    }
}
