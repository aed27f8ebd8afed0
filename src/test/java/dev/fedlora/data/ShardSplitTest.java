package dev.fedlora.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ShardSplitTest {
    private static final int[] SHARD = IntStream.range(100, 150).toArray();

    @Test
    void heldOutPartIsTheCeilingShareAndThePartsCoverTheShardOnce() {
        int[][] parts = ShardSplit.split(SHARD, 0.2, 7, 3);
        assertEquals(40, parts[0].length);
        assertEquals(10, parts[1].length);
        int[] union = IntStream.concat(Arrays.stream(parts[0]), Arrays.stream(parts[1])).sorted().toArray();
        assertArrayEquals(SHARD, union);
        assertArrayEquals(parts[1], ShardSplit.split(SHARD, 0.2, 7, 3)[1], "deterministic");
    }

    @Test
    void edgeCases() {
        assertArrayEquals(SHARD, ShardSplit.split(SHARD, 0, 7, 3)[0], "nothing held out");
        assertEquals(1, ShardSplit.split(new int[] {4, 9}, 0.99, 7, 3)[0].length, "never all held out");
        assertEquals(1, ShardSplit.split(SHARD, 0.001, 7, 3)[1].length, "at least one held out");
    }
}
