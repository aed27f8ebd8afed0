package dev.fedlora.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.config.ConfigError;
import dev.fedlora.metrics.MetricsRow;
import dev.fedlora.model.LoraParams;
import dev.fedlora.model.ModelShape;
import dev.fedlora.strategy.GlobalModel;
import dev.fedlora.strategy.NoState;
import java.io.File;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {
    @TempDir
    Path dir;

    private static Checkpoint checkpoint(int round) {
        LoraParams p = LoraParams.init(new ModelShape(5, 4, 3), 2, new SplittableRandom(round));
        MetricsRow row = new MetricsRow("x", "zero_pad", round, 0.5, 1.0, 1.1, 3, 0, 0, 0, 10, 100, 100, 100, 100, 0.1, 0.05);
        return new Checkpoint(round, new GlobalModel<>(p, NoState.NONE), client -> 3, List.of(row));
    }

    private CheckpointStore store(String hash) throws Exception {
        return new CheckpointStore(dir.toString(), hash, new Configuration());
    }

    @Test
    void roundTripsTheLatestAndKeepsTwo() throws Exception {
        CheckpointStore store = store("abc");
        for (int r = 1; r <= 4; r++) store.write(checkpoint(r));
        String[] names = new File(dir.resolve("checkpoints").toString()).list((d, n) -> n.endsWith(".ckpt"));
        Arrays.sort(names);
        assertArrayEquals(new String[] {"round-0003.ckpt", "round-0004.ckpt"}, names);
        Checkpoint back = store.latest().orElseThrow();
        assertEquals(4, back.round());
        assertArrayEquals(checkpoint(4).global().adapter().flatten(), back.global().adapter().flatten());
        assertEquals(checkpoint(4).rows(), back.rows());
    }

    @Test
    void emptyFolderHasNoCheckpoint() throws Exception {
        assertTrue(store("abc").latest().isEmpty());
    }

    @Test
    void corruptCheckpointIsRefusedNamingTheFile() throws Exception {
        store("abc").write(checkpoint(2));
        Path file = dir.resolve("checkpoints/round-0002.ckpt");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(40);
            int b = f.read();
            f.seek(40);
            f.write(b ^ 0xff);
        }
        ConfigError e = assertThrows(ConfigError.class, () -> store("abc").latest());
        assertTrue(e.getMessage().contains("round-0002.ckpt") && e.getMessage().contains("corrupt"), e.getMessage());
    }

    @Test
    void truncatedCheckpointIsRefused() throws Exception {
        store("abc").write(checkpoint(2));
        Path file = dir.resolve("checkpoints/round-0002.ckpt");
        byte[] all = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(all, all.length / 2));
        ConfigError e = assertThrows(ConfigError.class, () -> store("abc").latest());
        assertTrue(e.getMessage().contains("round-0002.ckpt"), e.getMessage());
    }

    @Test
    void checkpointOfAnotherConfigIsRefused() throws Exception {
        store("abc").write(checkpoint(2));
        ConfigError e = assertThrows(ConfigError.class, () -> store("def").latest());
        assertTrue(e.getMessage().contains("abc") && e.getMessage().contains("def"), e.getMessage());
    }
}
