package dev.fedlora.bench;

import dev.fedlora.state.ClientState;
import dev.fedlora.state.ClientStateStore;
import dev.fedlora.state.StateIndex;
import dev.fedlora.state.StateLocation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What client state costs a round as the clients holding state grow: for each store size N, a store
 * is filled with N states of the given size (as if N clients had taken part, 1,000 per earlier round),
 * then rounds of m sampled clients read their states at the locations the index gives, write their
 * next states one file per task and record them in the index, as the round loop does, in one thread.
 * Prints the median round time per (N, m) and the ratio to the smallest N, and the time to rebuild
 * the index from the files (what a resume pays once).
 */
@Command(name = "state", mixinStandardHelpOptions = true,
        description = "Cost of a round's client-state reads and writes versus the clients holding state.")
public final class StateStoreBench implements Callable<Integer> {
    @Option(names = "--states", split = ",", defaultValue = "1000,100000", description = "Clients holding state (N).")
    int[] states;
    @Option(names = "--cohorts", split = ",", defaultValue = "10,20,50,100", description = "Sampled clients per round (m).")
    int[] cohorts;
    @Option(names = "--floats", defaultValue = "4096",
            description = "Floats per state (default: FedSA-LoRA's B of the 784-256-256 MLP at rank 8, 16 KB).")
    int floats;
    @Option(names = "--tasks", defaultValue = "10", description = "Tasks per round (engine.tasks-per-round).") int tasks;
    @Option(names = "--rounds", defaultValue = "15", description = "Measured rounds per (N, m).") int rounds;
    @Option(names = "--warmup-rounds", defaultValue = "5") int warmup;
    @Option(names = "--dir", defaultValue = "var/state-bench", description = "Scratch run folders (any Hadoop path).")
    String dir;

    private static final int PER_FILL_ROUND = 1000;

    @Override
    public Integer call() throws Exception {
        System.out.printf(Locale.ROOT, "state of %d floats (%d bytes), %d tasks per round, median of %d rounds%n",
                floats, 4L * floats + 8, tasks, rounds);
        double[][] medians = new double[states.length][cohorts.length];
        ClientStateStore[] stores = new ClientStateStore[states.length];
        StateIndex[] indexes = new StateIndex[states.length];
        int[] lastRound = new int[states.length];
        SplittableRandom[] rngs = new SplittableRandom[states.length];
        for (int s = 0; s < states.length; s++) {
            int n = states[s];
            stores[s] = new ClientStateStore(dir + "/n" + n);
            stores[s].clear();
            long t0 = System.nanoTime();
            indexes[s] = new StateIndex();
            lastRound[s] = fill(stores[s], indexes[s], n);
            double fillSeconds = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            StateIndex rebuilt = stores[s].index(lastRound[s]);
            double rebuildSeconds = (System.nanoTime() - t0) / 1e9;
            if (rebuilt.size() != n) throw new IllegalStateException("rebuilt " + rebuilt.size() + " of " + n + " states");
            System.out.printf(Locale.ROOT, "N = %,d: filled in %.1f s, index rebuilt from the files in %.2f s%n", n,
                    fillSeconds, rebuildSeconds);
            rngs[s] = new SplittableRandom(n);
        }
        // Store sizes interleaved per cohort size, so that neither is measured on a colder JVM.
        for (int c = 0; c < cohorts.length; c++) {
            for (int s = 0; s < states.length; s++) {
                double[] ms = new double[rounds];
                for (int r = 0; r < warmup + rounds; r++) {
                    int round = ++lastRound[s];
                    long start = System.nanoTime();
                    round(stores[s], indexes[s], sample(rngs[s], states[s], cohorts[c]), round);
                    if (r >= warmup) ms[r - warmup] = (System.nanoTime() - start) / 1e6;
                }
                Arrays.sort(ms);
                medians[s][c] = ms[rounds / 2];
            }
        }
        System.out.printf(Locale.ROOT, "%-10s", "m");
        for (int n : states) System.out.printf(Locale.ROOT, "  N=%-,12d", n);
        System.out.printf(Locale.ROOT, "  ratio (largest N / smallest N)%n");
        for (int c = 0; c < cohorts.length; c++) {
            System.out.printf(Locale.ROOT, "%-10d", cohorts[c]);
            for (int s = 0; s < states.length; s++) System.out.printf(Locale.ROOT, "  %9.2f ms  ", medians[s][c]);
            System.out.printf(Locale.ROOT, "  %.2fx%n", medians[states.length - 1][c] / medians[0][c]);
        }
        return 0;
    }

    /** Writes states for clients 0..n-1, 1,000 per round; returns the last round written. */
    private int fill(ClientStateStore store, StateIndex index, int n) {
        int round = 0;
        for (int from = 0; from < n; from += PER_FILL_ROUND) {
            round++;
            int to = Math.min(n, from + PER_FILL_ROUND);
            for (int t = 0; t < tasks; t++) {
                ClientStateStore.TaskStates part = store.forTask(round, t);
                int lo = from + (int) ((long) t * (to - from) / tasks);
                int hi = from + (int) ((long) (t + 1) * (to - from) / tasks);
                for (int client = lo; client < hi; client++) part.put(client, state(client, round));
                index.putAll(part.write());
            }
        }
        return round;
    }

    /** One round: each task reads its clients' states, writes their next ones, and the index takes them in. */
    private void round(ClientStateStore store, StateIndex index, int[] cohort, int round) {
        int slices = Math.min(tasks, cohort.length);
        for (int t = 0; t < slices; t++) {
            ClientStateStore.TaskStates part = store.forTask(round, t);
            for (int i = t * cohort.length / slices; i < (t + 1) * cohort.length / slices; i++) {
                int client = cohort[i];
                StateLocation at = index.locationOf(client).orElseThrow();
                ClientState previous = store.read(client, at);
                float[] next = previous.array(0).clone();
                next[0] += 1;
                part.put(client, new ClientState(new float[][] {next}));
            }
            Map<Integer, StateLocation> written = part.write();
            index.putAll(written);
        }
    }

    private ClientState state(int client, int round) {
        float[] v = new float[floats];
        SplittableRandom rng = new SplittableRandom(31L * client + round);
        for (int i = 0; i < v.length; i++) v[i] = (float) rng.nextGaussian();
        return new ClientState(new float[][] {v});
    }

    /** {@code m} distinct clients of {@code 0..n-1}. */
    private static int[] sample(SplittableRandom rng, int n, int m) {
        List<Integer> picked = new ArrayList<>();
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        while (picked.size() < m) {
            int c = rng.nextInt(n);
            if (seen.add(c)) picked.add(c);
        }
        return picked.stream().mapToInt(Integer::intValue).toArray();
    }

    /** For tests and scripts: runs the bench with picocli's parsing. */
    public static void main(String[] args) throws IOException {
        System.exit(new picocli.CommandLine(new StateStoreBench()).execute(args));
    }
}
