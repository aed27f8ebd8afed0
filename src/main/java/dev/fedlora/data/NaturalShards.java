package dev.fedlora.data;

import java.util.Arrays;

/**
 * Natural clients: client {@code c} holds exactly the examples of group {@code c} of the data (a
 * speaker, an author, a user), as FLASC's Reddit task has one client per user. Nothing is drawn at
 * random; no client is "high quality".
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
        examples = new int[groups.length];
        int[] cursor = Arrays.copyOf(offsets, numClients);
        for (int i = 0; i < groups.length; i++) examples[cursor[groups[i]]++] = i;
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
