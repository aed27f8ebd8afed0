package dev.fedlora.comm;

/**
 * Exact bytes on the wire. A dense tensor costs 4 bytes an entry. A sparse one costs {@code 4 nnz}
 * for its float32 values plus the cheaper index encoding: {@code 4 nnz} (int32 indices) or
 * {@code ceil(total / 8)} (a bitmask over all positions). An encoder sends whichever of the dense
 * and sparse forms is smaller.
 */
public final class WireSize {
    private WireSize() {}

    public static long dense(long entries) {
        return 4L * entries;
    }

    public static long sparse(long nnz, long total) {
        if (nnz < 0 || nnz > total) throw new IllegalArgumentException("nnz " + nnz + " outside [0, " + total + "]");
        return 4L * nnz + Math.min(4L * nnz, (total + 7) / 8);
    }

    /** The cheaper of sending {@code total} entries densely or their {@code nnz} nonzeros sparsely. */
    public static long cheapest(long nnz, long total) {
        return Math.min(dense(total), sparse(nnz, total));
    }
}
