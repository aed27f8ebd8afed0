package dev.fedlora.data;

import dev.fedlora.random.Seeds;
import dev.fedlora.random.Shuffle;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Splits a client's shard into a training part and a held-out validation part: a seeded shuffle
 * of the shard, the first {@code ceil(f n)} examples held out (at least one, and never all), both
 * parts returned ascending. A pure function of (seed, client, shard, f).
 */
public final class ShardSplit {
    private ShardSplit() {}

    /** {training, validation}; with {@code fraction = 0} the whole shard trains. */
    public static int[][] split(int[] shard, double fraction, long seed, int client) {
        if (fraction <= 0 || shard.length < 2) return new int[][] {shard, new int[0]};
        int held = (int) Math.min(shard.length - 1, Math.max(1, Math.ceil(fraction * shard.length - 1e-9)));
        int[] order = shard.clone();
        SplittableRandom rng = Seeds.rng(seed, Seeds.Purpose.PARTITION, client, 2);
        Shuffle.inPlace(order, rng);
        int[] validation = Arrays.copyOfRange(order, 0, held);
        int[] training = Arrays.copyOfRange(order, held, order.length);
        Arrays.sort(validation);
        Arrays.sort(training);
        return new int[][] {training, validation};
    }
}
