package dev.fedlora.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client state store on Hadoop's local file system: states written by tasks read back where
 * the tasks said they lie; a client's latest state wins; a client that never took part has none;
 * the index rebuilt after a round ignores later rounds, even a half-written one; the same states
 * give the same bytes.
 */
class ClientStateStoreTest {
    @TempDir
    Path run;

    private static ClientState state(float... values) {
        return new ClientState(new float[][] {values, {values.length}});
    }

    @Test
    void encodingIsCountThenLengthPrefixedBigEndianFloats() {
        ClientState s = new ClientState(new float[][] {{1.5f, -2f}, {}});
        ByteBuffer out = ByteBuffer.allocate(s.encodedSize());
        s.encode(out);

        ByteBuffer expected = ByteBuffer.allocate(20).putInt(2).putInt(2).putFloat(1.5f).putFloat(-2f).putInt(0);
        assertEquals(20, s.encodedSize(), "4 + (4 + 8) + (4 + 0)");
        assertArrayEquals(expected.array(), out.array());
        assertEquals(s, ClientState.decode(out.array(), 0, 20));
        assertThrows(IllegalArgumentException.class, () -> ClientState.decode(out.array(), 0, 19), "cut short");
    }

    @Test
    void statesWrittenByTasksReadBackAtTheirLocations() throws Exception {
        ClientStateStore store = new ClientStateStore(run.toString());
        ClientStateStore.TaskStates t0 = store.forTask(1, 0);
        t0.put(7, state(1, 2, 3));
        t0.put(3, state(4));
        Map<Integer, StateLocation> at0 = t0.write();
        ClientStateStore.TaskStates t1 = store.forTask(1, 1);
        t1.put(12, state(5, 6));
        Map<Integer, StateLocation> at1 = t1.write();

        // header 20 bytes; client 7's record is 8 + (4 + 4 + 12 + 4 + 4) = 36 bytes
        assertEquals(new StateLocation(1, 0, 20, 36), at0.get(7));
        assertEquals(new StateLocation(1, 0, 56, 28), at0.get(3));
        assertEquals(new StateLocation(1, 1, 20, 32), at1.get(12));
        assertTrue(Files.isRegularFile(run.resolve("state/round-0001/task-0000.state")));
        assertEquals(84, Files.size(run.resolve("state/round-0001/task-0000.state")));

        ClientStateStore shipped = roundTrip(store);
        assertEquals(state(1, 2, 3), shipped.read(7, at0.get(7)));
        assertEquals(state(4), shipped.read(3, at0.get(3)));
        assertEquals(state(5, 6), shipped.read(12, at1.get(12)));
        assertThrows(IllegalStateException.class, () -> shipped.read(3, at0.get(7)), "another client's record");
    }

    @Test
    void theLatestStateOfAClientWinsAndUnknownClientsHaveNone() throws Exception {
        ClientStateStore store = new ClientStateStore(run.toString());
        StateIndex index = new StateIndex();
        ClientStateStore.TaskStates r1 = store.forTask(1, 0);
        r1.put(1, state(10));
        r1.put(2, state(20));
        index.putAll(r1.write());
        ClientStateStore.TaskStates r2 = store.forTask(2, 3);
        r2.put(2, state(21));
        index.putAll(r2.write());

        assertEquals(state(10), store.read(1, index.locationOf(1).orElseThrow()));
        assertEquals(state(21), store.read(2, index.locationOf(2).orElseThrow()), "round 2 replaced round 1");
        assertEquals(new StateLocation(2, 3, 20, 28), index.locationOf(2).orElseThrow());
        assertFalse(index.locationOf(0).isPresent(), "client 0 never took part");
        assertEquals(2, index.size());
        assertEquals(index.asMap(), store.index(2).asMap(), "rebuilt from the files");
        assertTrue(store.forTask(3, 0).write().isEmpty(), "a task without states writes nothing");
        assertFalse(Files.exists(run.resolve("state/round-0003")));
    }

    @Test
    void rebuildingAfterARoundIgnoresLaterRoundsAndDropAfterRemovesThem() throws Exception {
        ClientStateStore store = new ClientStateStore(run.toString());
        ClientStateStore.TaskStates r1 = store.forTask(1, 0);
        r1.put(4, state(1));
        Map<Integer, StateLocation> first = r1.write();
        ClientStateStore.TaskStates r2 = store.forTask(2, 0);
        r2.put(4, state(2));
        r2.put(5, state(3));
        r2.write();
        // A killed run's later round: one whole file, one cut short, one temporary file never renamed.
        ClientStateStore.TaskStates r3 = store.forTask(3, 0);
        r3.put(4, state(9));
        r3.write();
        ClientStateStore.TaskStates r4 = store.forTask(4, 0);
        r4.put(5, state(7, 7));
        r4.write();
        Path round4 = run.resolve("state/round-0004");
        byte[] whole = store.bytesOf(4, 0);
        Files.delete(round4.resolve(".task-0000.state.crc"));
        Files.write(round4.resolve("task-0000.state"), java.util.Arrays.copyOf(whole, whole.length - 5));
        Files.write(run.resolve("state/round-0002/.task-0001.state.x.tmp"), new byte[] {1, 2, 3});

        StateIndex afterOne = store.index(1);
        assertEquals(Map.of(4, first.get(4)), afterOne.asMap());
        assertEquals(state(1), store.read(4, afterOne.locationOf(4).orElseThrow()));
        assertEquals(state(2), store.read(4, store.index(2).locationOf(4).orElseThrow()), "rounds 3, 4 not read");
        assertThrows(IllegalStateException.class, () -> store.index(4), "the cut file is found when it counts");

        store.dropAfter(2);
        assertFalse(Files.exists(run.resolve("state/round-0003")));
        assertFalse(Files.exists(round4));
        assertFalse(Files.exists(run.resolve("state/round-0002/.task-0001.state.x.tmp")));
        assertEquals(store.index(2).asMap(), store.index(99).asMap());
        store.clear();
        assertEquals(0, store.index(99).size());
    }

    @Test
    void theSameStatesGiveTheSameBytesWhenWrittenAgain() throws Exception {
        ClientStateStore store = new ClientStateStore(run.toString());
        for (int attempt = 0; attempt < 2; attempt++) {
            ClientStateStore.TaskStates t = store.forTask(5, 2);
            t.put(9, state(0.25f, -0f));
            t.put(1, state(Float.MIN_VALUE));
            t.write();
            byte[] bytes = store.bytesOf(5, 2);
            ByteBuffer expected = ByteBuffer.allocate(bytes.length).put("FLST".getBytes()).putInt(1).putInt(5).putInt(2)
                    .putInt(2).putInt(9).putInt(24).putInt(2).putInt(2).putFloat(0.25f).putFloat(-0f).putInt(1)
                    .putFloat(2).putInt(1).putInt(20).putInt(2).putInt(1).putFloat(Float.MIN_VALUE).putInt(1).putFloat(1);
            assertArrayEquals(expected.array(), bytes, "attempt " + attempt);
        }
        assertThrows(IllegalArgumentException.class, () -> {
            ClientStateStore.TaskStates t = store.forTask(6, 0);
            t.put(1, state(1));
            t.put(1, state(2));
        });
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T value) throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}
