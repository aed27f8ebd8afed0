package dev.fedlora.runtime;

import org.apache.spark.TaskContext;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Keeps ND4J from oversubscribing an executor: each task may use {@code spark.task.cpus} threads
 * for its native work (1 by default), so N concurrent tasks use N cores, not N x cores.
 */
public final class Nd4jRuntime {
    private static volatile int configured = -1;

    private Nd4jRuntime() {}

    /** Inside a Spark task, {@code spark.task.cpus} threads; outside one, every core. */
    public static void configureForTask() {
        TaskContext ctx = TaskContext.get();
        setThreads(ctx == null ? Runtime.getRuntime().availableProcessors() : Math.max(1, ctx.cpus()));
    }

    /** Native (OpenMP/BLAS) threads ND4J may use per operation from now on. */
    public static void setThreads(int threads) {
        if (configured == threads) return;
        synchronized (Nd4jRuntime.class) {
            if (configured == threads) return;
            Nd4j.getEnvironment().setMaxMasterThreads(threads);
            Nd4j.getEnvironment().setMaxThreads(threads);
            NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
            configured = threads;
        }
    }
}
