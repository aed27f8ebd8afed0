package dev.fedlora.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.SparkTestSession;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/**
 * Partials are folded in task order whatever order they arrive in. The merge used here is list
 * concatenation, which is not commutative: the folded list is the order of the merges.
 */
class OrderedFoldTest {
    private static final int TASKS = 5;

    private static ArrayList<Integer> single(int task) {
        return new ArrayList<>(List.of(task));
    }

    private static List<Integer> taskOrder(int n) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) order.add(i);
        return order;
    }

    @Test
    void everyArrivalOrderFoldsInTaskOrderAsSoonAsThePredecessorsAreIn() {
        List<List<Integer>> arrivals = new ArrayList<>();
        permutations(taskOrder(TASKS), 0, arrivals);
        assertEquals(120, arrivals.size());
        for (List<Integer> arrival : arrivals) {
            OrderedFold.Folder<ArrayList<Integer>> folder = new OrderedFold.Folder<>(ArrayList::addAll);
            boolean[] in = new boolean[TASKS];
            for (int task : arrival) {
                folder.apply(task, single(task));
                in[task] = true;
                int prefix = 0;
                while (prefix < TASKS && in[prefix]) prefix++;
                int arrived = 0;
                for (boolean b : in) if (b) arrived++;
                assertEquals(prefix, folder.folded(), "folded after " + arrival + " reached task " + task);
                assertEquals(arrived - prefix, folder.waiting(), "held back after " + arrival + " reached task " + task);
            }
            assertEquals(taskOrder(TASKS), folder.result(), "arrival order " + arrival);
        }
    }

    private static void permutations(List<Integer> items, int from, List<List<Integer>> out) {
        if (from == items.size()) {
            out.add(new ArrayList<>(items));
            return;
        }
        for (int i = from; i < items.size(); i++) {
            Collections.swap(items, from, i);
            permutations(items, from + 1, out);
            Collections.swap(items, from, i);
        }
    }

    @Test
    void sparkTasksThatFinishOutOfOrderAreFoldedInTaskOrder() {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());
        int tasks = 6;
        // later tasks sleep less, so on two cores task 1 finishes before task 0, 3 before 2, ...
        List<long[]> slowFirst = OrderedFold.fold(partials(jsc, tasks, true), List::addAll);
        List<long[]> fastFirst = OrderedFold.fold(partials(jsc, tasks, false), List::addAll);

        assertEquals(taskOrder(tasks), tasksOf(slowFirst));
        assertEquals(taskOrder(tasks), tasksOf(fastFirst));
        boolean outOfOrder = false;
        for (int i = 1; i < tasks; i++) outOfOrder |= slowFirst.get(i)[1] < slowFirst.get(i - 1)[1];
        assertTrue(outOfOrder, "some task finished before its predecessor");
    }

    /** One element per task: {task, finish time in ns}, after a sleep that falls or rises with the task. */
    private static JavaRDD<List<long[]>> partials(JavaSparkContext jsc, int tasks, boolean slowFirst) {
        return jsc.parallelize(taskOrder(tasks), tasks).mapPartitionsWithIndex((index, it) -> {
            Thread.sleep(60L * (slowFirst ? tasks - index : index + 1));
            List<long[]> one = new ArrayList<>();
            one.add(new long[] {index, System.nanoTime()});
            return List.of(one).iterator();
        }, false);
    }

    private static List<Integer> tasksOf(List<long[]> folded) {
        List<Integer> tasks = new ArrayList<>();
        for (long[] f : folded) tasks.add((int) f[0]);
        return tasks;
    }

    @Test
    void aPartitionWithMoreThanOnePartialIsRefused() {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());
        JavaRDD<List<Integer>> two = jsc.parallelize(taskOrder(4), 2).mapPartitions(
                (Iterator<Integer> it) -> {
                    List<List<Integer>> out = new ArrayList<>();
                    it.forEachRemaining(i -> out.add(new ArrayList<>(List.of(i))));
                    return out.iterator();
                });

        Exception e = assertThrows(Exception.class, () -> OrderedFold.fold(two, List::addAll));
        assertTrue(String.valueOf(e.getMessage()).contains("a partial partition holds more than one element"),
                e.getMessage());
    }
}
