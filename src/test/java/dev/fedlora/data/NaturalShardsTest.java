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
}
