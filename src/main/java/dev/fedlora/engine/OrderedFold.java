package dev.fedlora.engine;

import java.io.Serializable;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import scala.collection.Iterator;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * Folds the one-element partitions of an RDD on the driver in partition order, as results arrive:
 * a result that arrives early waits only until its predecessors are in, so the driver holds at
 * most the out-of-order results and the order of floating-point sums never depends on which task
 * finished first.
 */
final class OrderedFold {
    private OrderedFold() {}

    static <T> T fold(JavaRDD<T> partials, BiConsumer<T, T> mergeInto) {
        int n = partials.getNumPartitions();
        Folder<T> folder = new Folder<>(mergeInto);
        partials.context().runJob(partials.rdd(), new FirstElement<T>(), folder,
                ClassTag$.MODULE$.apply(Object.class));
        if (folder.next != n) throw new IllegalStateException("folded " + folder.next + " of " + n + " partitions");
        return folder.result;
    }

    private static final class FirstElement<T> extends AbstractFunction2<TaskContext, Iterator<T>, T>
            implements Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public T apply(TaskContext context, Iterator<T> it) {
            T first = it.next();
            if (it.hasNext()) throw new IllegalStateException("a partial partition holds more than one element");
            return first;
        }
    }

    /** Package-private for tests, which feed it results in any arrival order. */
    static final class Folder<T> extends AbstractFunction2<Object, T, BoxedUnit> {
        private final BiConsumer<T, T> mergeInto;
        private final TreeMap<Integer, T> waiting = new TreeMap<>();
        private int next;
        private T result;

        Folder(BiConsumer<T, T> mergeInto) {
            this.mergeInto = mergeInto;
        }

        /** How many results have been folded: all of tasks {@code 0..folded()-1}. */
        synchronized int folded() {
            return next;
        }

        /** Results that arrived before one of their predecessors and are waiting for it. */
        synchronized int waiting() {
            return waiting.size();
        }

        synchronized T result() {
            return result;
        }

        @Override
        public synchronized BoxedUnit apply(Object index, T value) {
            waiting.put((Integer) index, value);
            while (!waiting.isEmpty() && waiting.firstKey() == next) {
                T v = waiting.pollFirstEntry().getValue();
                if (result == null) result = v;
                else mergeInto.accept(result, v);
                next++;
            }
            return BoxedUnit.UNIT;
        }
    }
}
