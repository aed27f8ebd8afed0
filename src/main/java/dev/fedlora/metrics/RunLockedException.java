package dev.fedlora.metrics;

/**
 * Another run holds the run folder's lock (or took it over from this run). The message names the
 * lock file and its holder's host, pid and start time; the job exits with code 3, and a run that
 * could not take the lock has read and changed nothing in the folder.
 */
public final class RunLockedException extends RuntimeException {
    private final String lockPath;
    private final transient RunLock.Holder holder;

    RunLockedException(String message, String lockPath, RunLock.Holder holder) {
        super(message);
        this.lockPath = lockPath;
        this.holder = holder;
    }

    /** The lock file, e.g. {@code runs/quickstart/_LOCK}. */
    public String lockPath() {
        return lockPath;
    }

    /** The run holding the lock, or null when its lock file could not be parsed. */
    public RunLock.Holder holder() {
        return holder;
    }
}
