package dev.fedlora.state;

import java.io.Serializable;

/**
 * Where a client's state lies: in the file of round {@code round} written by task {@code task}, the
 * record of {@code length} bytes at {@code offset} (the client id, the state's size, the state).
 */
public record StateLocation(int round, int task, long offset, int length) implements Serializable {
    public StateLocation {
        if (round < 1 || task < 0 || offset < 0 || length < 8) {
            throw new IllegalArgumentException("not a state location: round " + round + ", task " + task + ", offset "
                    + offset + ", length " + length);
        }
    }
}
