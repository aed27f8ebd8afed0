package dev.fedlora.data;

import java.util.Arrays;

/**
 * Natural clients: client {@code c} holds the examples of group {@code c} of the data (a speaker,
 * an author, a user), as FLASC's Reddit task has one client per user; with a cap, a seeded sample
 * of at most that many of them (drawn once, the same every round). No client is "high quality".
 */
final class NaturalShards implements ClientShards {
    private static final long serialVersionUID = 1L;

    private final int[] examples;
    private final int[] offsets;

    /**
     * @param groups the group of each training example, in [0, numClients)
     * @throws IllegalArgumentException if a group is outside [0, numClients) or a client has no example
     */
    NaturalShards(int[] groups, int numClients) {
        this(groups, numClients, 0, 0);
    }

    /**
     * @param cap the most examples a client keeps (0 = all), a seeded sample of its group's, kept in
     *     ascending order
     */
    NaturalShards(int[] groups, int numClients, int cap, long seed) {
        offsets = new int[numClients + 1];
        for (int i = 0; i < groups.length; i++) {
            if (groups[i] < 0 || groups[i] >= numClients) {
                throw new IllegalArgumentException("example " + i + " belongs to group " + groups[i] + ", outside the "
                        + numClients + " natural clients");
            }
            offsets[groups[i] + 1]++;
        }
        for (int c = 0; c < numClients; c++) {
            if (offsets[c + 1] == 0) throw new IllegalArgumentException("natural client " + c + " has no example");
            offsets[c + 1] += offsets[c];
        }
        int[] all = new int[groups.length];
        int[] cursor = Arrays.copyOf(offsets, numClients);
        for (int i = 0; i < groups.length; i++) all[cursor[groups[i]]++] = i;
        if (cap <= 0) {
            examples = all;
            return;
        }
        int[] kept = new int[numClients + 1];
        int[] out = new int[groups.length];
        for (int c = 0; c < numClients; c++) {
            int[] mine = Arrays.copyOfRange(all, offsets[c], offsets[c + 1]);
            if (mine.length > cap) {
                dev.fedlora.random.Shuffle.inPlace(mine, dev.fedlora.random.Seeds.rng(seed,
                        dev.fedlora.random.Seeds.Purpose.PARTITION, c));
                mine = Arrays.copyOf(mine, cap);
                Arrays.sort(mine);
            }
            System.arraycopy(mine, 0, out, kept[c], mine.length);
            kept[c + 1] = kept[c] + mine.length;
        }
        System.arraycopy(kept, 0, offsets, 0, kept.length);
        examples = Arrays.copyOf(out, kept[numClients]);
    }

    @Override
    public int numClients() {
        return offsets.length - 1;
    }

    @Override
    public int[] shard(int client) {
        return Arrays.copyOfRange(examples, offsets[client], offsets[client + 1]);
    }

    @Override
    public int shardSize(int client) {
        return offsets[client + 1] - offsets[client];
    }

    @Override
    public boolean isHighQuality(int client) {
        return false;
    }
}
