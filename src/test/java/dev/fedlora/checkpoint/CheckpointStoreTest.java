package dev.fedlora.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.config.ConfigError;
import dev.fedlora.data.ClientShards;
import dev.fedlora.metrics.MetricsRow;
import dev.fedlora.model.Adapter;
import dev.fedlora.model.AdapterLayout;
import dev.fedlora.ranks.RankConfig;
import dev.fedlora.ranks.RankPolicy;
import dev.fedlora.ranks.policies.BandwidthRanks;
import dev.fedlora.ranks.policies.DataQualityRanks;
import dev.fedlora.ranks.policies.FixedRanks;
import dev.fedlora.ranks.policies.QualityRanks;
import dev.fedlora.ranks.policies.RankTiers;
import dev.fedlora.strategy.GlobalModel;
import dev.fedlora.strategy.NoState;
import java.io.File;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.zip.CRC32C;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {
    @TempDir
    Path dir;

    private static Checkpoint checkpoint(int round) {
        Adapter p = Adapter.init(dev.fedlora.model.MlpModel.layoutOf(5, 4, 3), 2, new SplittableRandom(round));
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
    void checkpointOfAnOlderFormatIsRefusedSayingSo() throws Exception {
        store("abc").write(checkpoint(2));
        Path file = dir.resolve("checkpoints/round-0002.ckpt");
        byte[] all = Files.readAllBytes(file);
        ByteBuffer.wrap(all).putInt(4, 2);
        CRC32C crc = new CRC32C();
        crc.update(all, 0, all.length - 8);
        ByteBuffer.wrap(all).putLong(all.length - 8, crc.getValue());
        ConfigError e = assertThrows(ConfigError.class, () -> store("abc").parse("round-0002.ckpt", all));
        assertEquals("checkpoint round-0002.ckpt has format version 2, but this build reads only version 3"
                + " (it was written by an older build); remove it or rerun with --force to start over", e.getMessage());
    }

    @Test
    void everyRankPolicyComesBackGivingTheSameRanks() throws Exception {
        int[] labels = new int[600];
        for (int i = 0; i < labels.length; i++) labels[i] = i % 10;
        ClientShards shards = ClientShards.create(labels, 10, 30, 0.5, 0.2, 0, 9);
        AdapterLayout shape = dev.fedlora.model.MlpModel.layoutOf(784, 64, 64, 10);
        List<RankConfig> configs = List.of(new FixedRanks(4),
                new RankTiers(List.of(new RankTiers.Tier(2, 0.5), new RankTiers.Tier(8, 0.5))),
                new QualityRanks(2, 8), new BandwidthRanks(16_000, 64_000, 16), new DataQualityRanks(2, 8, 0.2, 1, 0.3));
        for (RankConfig config : configs) {
            RankPolicy policy = config.create(shards, 9, shape)
                    .afterRound(1, null, adapter -> IntStream.range(0, 30).mapToDouble(c -> c % 7).toArray());
            store(config.policy()).write(new Checkpoint(1, checkpoint(1).global(), policy, List.of()));
            RankPolicy back = store(config.policy()).latest().orElseThrow().ranks();
            assertEquals(policy.getClass(), back.getClass());
            for (int c = 0; c < 30; c++) assertEquals(policy.rankOf(c), back.rankOf(c), config.policy() + ", client " + c);
        }
    }

    @Test
    void checkpointOfAnotherConfigIsRefused() throws Exception {
        store("abc").write(checkpoint(2));
        ConfigError e = assertThrows(ConfigError.class, () -> store("def").latest());
        assertTrue(e.getMessage().contains("abc") && e.getMessage().contains("def"), e.getMessage());
    }
}
