package dev.fedlora.engine;

import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * What the round loop needs from a cluster, and nothing else: values every task can read, a fixed
 * number of tasks over a list of items whose results are folded in task order, a map over slices,
 * and names for the jobs. {@link SparkBackend} distributes the work; {@link LocalBackend} runs the
 * same tasks in this JVM. The items are split into tasks the same way by both and partials are
 * folded in task order by both, so the two give bit-identical results.
 */
public interface Backend {
    /** A value every task reads; {@link #destroy} when no task needs it any more. */
    interface Shared<T> extends Serializable {
        T value();

        void destroy();
    }

    /** The work of one task, over its slice of the items, shipped to where the task runs. */
    @FunctionalInterface
    interface TaskFunction<I, R> extends Serializable {
        R apply(Iterator<I> items);
    }

    /** The work for one item of a {@link #map}. */
    @FunctionalInterface
    interface ItemFunction<I, R> extends Serializable {
        R apply(I item);
    }

    <T extends Serializable> Shared<T> share(T value);

    /**
     * Splits {@code items} into {@code tasks} contiguous slices (slice {@code i} holds items
     * {@code [i n / tasks, (i + 1) n / tasks)}), runs {@code task} on each and folds the results in
     * slice order, {@code mergeInto(first, next)}, on the caller's side.
     */
    <I extends Serializable, R> R foldTasks(List<I> items, int tasks, TaskFunction<I, R> task,
                                            BiConsumer<R, R> mergeInto);

    /** {@code f} of every item, in item order, computed in {@code slices} tasks. */
    <I extends Serializable, R> List<R> map(List<I> items, int slices, ItemFunction<I, R> f);

    /** Names the jobs that follow (Spark's UI and event log); free to ignore. */
    void describe(String description);

    /** The start of slice {@code i} of {@code n} items in {@code slices} slices (Spark's split of a list). */
    static int sliceStart(int n, int slices, int i) {
        return (int) ((long) i * n / slices);
    }
}
