package dev.fedlora.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** One client per natural group: exactly the group's examples, ascending, nothing drawn. */
class NaturalShardsTest {
    @Test
    void eachClientHoldsItsGroup() {
        ClientShards shards = ClientShards.natural(new int[] {2, 0, 1, 2, 0, 2}, 3);
        assertEquals(3, shards.numClients());
        assertArrayEquals(new int[] {1, 4}, shards.shard(0));
        assertArrayEquals(new int[] {2}, shards.shard(1));
        assertArrayEquals(new int[] {0, 3, 5}, shards.shard(2));
        assertEquals(3, shards.shardSize(2));
        assertFalse(shards.isHighQuality(0));
    }

    @Test
    void groupsMustBeEveryClientExactly() {
        String outside = assertThrows(IllegalArgumentException.class, () -> ClientShards.natural(new int[] {0, 3}, 3)).getMessage();
        assertTrue(outside.contains("example 1 belongs to group 3, outside the 3 natural clients"), outside);
        String empty = assertThrows(IllegalArgumentException.class, () -> ClientShards.natural(new int[] {0, 2}, 3)).getMessage();
        assertTrue(empty.contains("natural client 1 has no example"), empty);
    }

    @Test
    void aCapKeepsASeededSampleOfEachGroup() {
        int[] groups = new int[30];
        for (int i = 0; i < groups.length; i++) groups[i] = i < 20 ? 0 : 1;
        ClientShards capped = ClientShards.natural(groups, 2, 5, 9);
        assertEquals(5, capped.shardSize(0));
        assertEquals(5, capped.shardSize(1));
        int[] first = capped.shard(0);
        for (int i = 1; i < first.length; i++) assertTrue(first[i - 1] < first[i], "ascending");
        for (int e : first) assertTrue(e < 20, "client 0's own examples only");
        for (int e : capped.shard(1)) assertTrue(e >= 20);
        assertArrayEquals(first, ClientShards.natural(groups, 2, 5, 9).shard(0), "the same sample every time");
        assertEquals(20, ClientShards.natural(groups, 2, 0, 9).shardSize(0), "0 keeps them all");
    }
}
