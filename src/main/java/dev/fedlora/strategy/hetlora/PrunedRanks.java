package dev.fedlora.strategy.hetlora;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * HetLoRA's server state: the rank each client that ever self-pruned pruned down to, and nothing
 * for the others, so it grows with the clients that pruned, never with all clients. Sorted by
 * client id.
 */
public record PrunedRanks(int[] clients, int[] ranks) implements Serializable {
    public static final PrunedRanks NONE = new PrunedRanks(new int[0], new int[0]);

    /** {@code rank} capped at the rank {@code client} pruned to, if it did. */
    public int cap(int client, int rank) {
        int i = Arrays.binarySearch(clients, client);
        return i >= 0 ? Math.min(rank, ranks[i]) : rank;
    }

    public int size() {
        return clients.length;
    }

    /** This state with {@code pruned} (client to its new rank) recorded over it. */
    PrunedRanks with(SortedMap<Integer, Integer> pruned) {
        if (pruned.isEmpty()) return this;
        TreeMap<Integer, Integer> all = new TreeMap<>();
        for (int i = 0; i < clients.length; i++) all.put(clients[i], ranks[i]);
        all.putAll(pruned);
        int[] c = new int[all.size()];
        int[] r = new int[all.size()];
        int i = 0;
        for (Map.Entry<Integer, Integer> e : all.entrySet()) {
            c[i] = e.getKey();
            r[i++] = e.getValue();
        }
        return new PrunedRanks(c, r);
    }
}
