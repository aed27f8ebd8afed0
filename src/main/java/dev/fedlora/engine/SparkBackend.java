package dev.fedlora.engine;

import dev.fedlora.runtime.Nd4jRuntime;
import java.io.Serializable;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * The round's work as Spark jobs: shared values are broadcasts, tasks are the partitions of a
 * parallelized list (each returns one result) and their results are folded in partition order as
 * they arrive ({@link OrderedFold}). Each task gives ND4J {@code spark.task.cpus} threads.
 */
public final class SparkBackend implements Backend {
    private final JavaSparkContext jsc;

    public SparkBackend(JavaSparkContext jsc) {
        this.jsc = jsc;
    }

    private record Broadcasted<T>(Broadcast<T> broadcast) implements Shared<T> {
        @Override
        public T value() {
            return broadcast.value();
        }

        @Override
        public void destroy() {
            broadcast.destroy();
        }
    }

    @Override
    public <T extends Serializable> Shared<T> share(T value) {
        return new Broadcasted<>(jsc.broadcast(value));
    }

    @Override
    public <I extends Serializable, R> R foldTasks(List<I> items, int tasks, TaskFunction<I, R> task,
                                                   BiConsumer<R, R> mergeInto) {
        JavaRDD<R> partials = jsc.parallelize(items, tasks).mapPartitions(it -> {
            Nd4jRuntime.configureForTask();
            return List.of(task.apply(it)).iterator();
        });
        return OrderedFold.fold(partials, mergeInto);
    }

    @Override
    public <I extends Serializable, R> List<R> map(List<I> items, int slices, ItemFunction<I, R> f) {
        return jsc.parallelize(items, slices).map(item -> {
            Nd4jRuntime.configureForTask();
            return f.apply(item);
        }).collect();
    }

    @Override
    public void describe(String description) {
        jsc.setJobDescription(description);
    }
}
