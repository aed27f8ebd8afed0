package dev.fedlora.comm;

/** What a client uploads: dense parameters or a sparse vector. */
public interface Payload {
    /** True if every value sent is finite. */
    boolean isFinite();

    /** The Euclidean norm of the values sent. */
    double norm();
}
