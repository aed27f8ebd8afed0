package dev.fedlora.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * One group's curve: per round, the mean over its runs of {@code x} and of {@code y}, and the
 * sample sd of {@code y} (0 where only one run has a value). Rounds where no run has a {@code y}
 * (e.g. not evaluated) are left out.
 *
 * @param n how many runs have a value at each point
 */
public record GroupCurve(double[] x, double[] mean, double[] sd, int[] n) {
    /**
     * @param x the x of a row, e.g. its round or cumulative MB
     * @param y the y of a row, {@code null} where the row has none
     */
    public static GroupCurve of(RunGroup group, ToDoubleFunction<RoundMetrics> x, Function<RoundMetrics, Double> y) {
        Map<Integer, List<RoundMetrics>> byRound = new TreeMap<>();
        for (RunFolderReader run : group.runs()) {
            for (RoundMetrics row : run.rows()) {
                if (y.apply(row) != null) byRound.computeIfAbsent(row.round(), r -> new ArrayList<>()).add(row);
            }
        }
        int size = byRound.size();
        double[] xs = new double[size];
        double[] means = new double[size];
        double[] sds = new double[size];
        int[] counts = new int[size];
        int i = 0;
        for (List<RoundMetrics> rows : byRound.values()) {
            xs[i] = rows.stream().mapToDouble(x).average().orElseThrow();
            MeanSd ys = MeanSd.of(rows.stream().mapToDouble(r -> y.apply(r)).toArray());
            means[i] = ys.mean();
            sds[i] = ys.n() > 1 ? ys.sd() : 0;
            counts[i] = ys.n();
            i++;
        }
        return new GroupCurve(xs, means, sds, counts);
    }

    public int size() {
        return x.length;
    }

    public boolean isEmpty() {
        return x.length == 0;
    }

    /** Whether any point averages more than one run (so a band is worth drawing). */
    public boolean hasSpread() {
        for (int c : n) if (c > 1) return true;
        return false;
    }
}
