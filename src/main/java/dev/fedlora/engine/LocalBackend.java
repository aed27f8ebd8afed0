package dev.fedlora.engine;

import dev.fedlora.runtime.Nd4jRuntime;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;

/**
 * The round's work in this JVM, without Spark: the same tasks over the same slices as
 * {@link SparkBackend}, run one after another on the calling thread, or on a fixed pool of
 * threads, with ND4J at one thread per task (Spark's default {@code spark.task.cpus}); results are
 * folded in task order whichever task finishes first, so the figures equal Spark's bit for bit.
 * Shared values are the values themselves. For tests and the benchmark's plain loop.
 */
public final class LocalBackend implements Backend, AutoCloseable {
    private static final int THREADS_PER_TASK = 1;
    private final ExecutorService pool;

    /** Runs every task on the calling thread. */
    public LocalBackend() {
        this(1);
    }

    /** Runs the tasks on {@code threads} threads (the calling thread alone for 1). */
    public LocalBackend(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, found " + threads);
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads, daemonThreads());
    }

    private record Value<T>(T value) implements Shared<T> {
        @Override
        public void destroy() {}
    }

    @Override
    public <T extends Serializable> Shared<T> share(T value) {
        return new Value<>(value);
    }

    @Override
    public <I extends Serializable, R> R foldTasks(List<I> items, int tasks, TaskFunction<I, R> task,
                                                   BiConsumer<R, R> mergeInto) {
        List<R> partials = runAll(tasks, i -> task.apply(items.subList(Backend.sliceStart(items.size(), tasks, i),
                Backend.sliceStart(items.size(), tasks, i + 1)).iterator()));
        R result = partials.get(0);
        for (int i = 1; i < partials.size(); i++) mergeInto.accept(result, partials.get(i));
        return result;
    }

    @Override
    public <I extends Serializable, R> List<R> map(List<I> items, int slices, ItemFunction<I, R> f) {
        List<List<R>> parts = runAll(slices, i -> {
            List<R> out = new ArrayList<>();
            for (I item : items.subList(Backend.sliceStart(items.size(), slices, i),
                    Backend.sliceStart(items.size(), slices, i + 1))) {
                out.add(f.apply(item));
            }
            return out;
        });
        List<R> all = new ArrayList<>(items.size());
        for (List<R> p : parts) all.addAll(p);
        return all;
    }

    @Override
    public void describe(String description) {}

    /** Stops the pool's threads. */
    @Override
    public void close() {
        if (pool != null) pool.shutdownNow();
    }

    /** The results of tasks {@code 0..tasks-1}, in task order. */
    private <R> List<R> runAll(int tasks, IntFunction<R> task) {
        if (tasks < 1) throw new IllegalArgumentException("tasks must be >= 1, found " + tasks);
        List<R> results = new ArrayList<>(tasks);
        if (pool == null) {
            for (int i = 0; i < tasks; i++) results.add(runTask(task, i));
            return results;
        }
        List<Future<R>> futures = new ArrayList<>(tasks);
        for (int i = 0; i < tasks; i++) {
            int index = i;
            futures.add(pool.submit(() -> runTask(task, index)));
        }
        try {
            for (Future<R> f : futures) results.add(f.get());
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a local task", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException("a local task failed", e.getCause());
        } finally {
            for (Future<R> f : futures) f.cancel(true);
        }
    }

    private static <R> R runTask(IntFunction<R> task, int index) {
        Nd4jRuntime.setThreads(THREADS_PER_TASK);
        return task.apply(index);
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "fedlora-local-task-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
