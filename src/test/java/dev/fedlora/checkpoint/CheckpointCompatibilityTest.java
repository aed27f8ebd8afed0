package dev.fedlora.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

/**
 * Checkpoint files written by an earlier build, before classes they hold moved packages, still
 * resume: each fixture loads into the same objects {@link CheckpointFixtures} builds today.
 */
class CheckpointCompatibilityTest {
    private static final Path FIXTURES = Path.of("src/test/resources/checkpoints/format-3");

    @Test
    void everyFixtureLoadsAsTheObjectsItWasWrittenFrom() throws Exception {
        Map<String, Checkpoint> expected = CheckpointFixtures.all();
        for (Map.Entry<String, Checkpoint> e : expected.entrySet()) {
            Checkpoint loaded = new CheckpointStore(FIXTURES.resolve(e.getKey()).toString(), CheckpointFixtures.HASH,
                    new Configuration()).latest().orElseThrow();
            Checkpoint want = e.getValue();
            assertEquals(want.round(), loaded.round(), e.getKey());
            assertEquals(want.global().serverState().getClass(), loaded.global().serverState().getClass(), e.getKey());
            assertEquals(want.ranks().getClass(), loaded.ranks().getClass(), e.getKey());
            for (int c = 0; c < 30; c++) assertEquals(want.ranks().rankOf(c), loaded.ranks().rankOf(c), e.getKey() + ", client " + c);
            assertArrayEquals(serialized(roundTripped(want)), serialized(loaded), e.getKey() + ": the same objects, field for field");
        }
    }

    /** {@code o} written and read back, so that collections compare with the capacities reading gives them. */
    private static Object roundTripped(Object o) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(serialized(o)))) {
            return in.readObject();
        }
    }

    private static byte[] serialized(Object o) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }
}
