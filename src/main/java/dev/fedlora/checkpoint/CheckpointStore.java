package dev.fedlora.checkpoint;

import dev.fedlora.config.ConfigError;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Checkpoints under {@code <run>/checkpoints/round-RRRR.ckpt}, through the Hadoop FileSystem API
 * (local, HDFS, S3A alike). Each is written to a temporary name and renamed, and keeps the last
 * {@value #KEEP}. File format, big-endian:
 * <pre>
 *   bytes 0-3  magic "FLCK"     int32  format version (3)
 *   UTF        config hash      int32  round
 *   int32      payload length   bytes  payload: the {@link Checkpoint}, Java-serialized
 *   int64      CRC32C of every byte before it
 * </pre>
 * A checkpoint that fails its checksum, was written by another config or has another format
 * version is refused, not loaded. Version 3 holds adapters by named LoRA targets
 * ({@link dev.fedlora.model.AdapterLayout}) and FLoRA's merged base by target name; version 2 held
 * them by layer index; version 1 held the {@code fixed}, {@code tiers}, {@code quality} and
 * {@code bandwidth} rank policies as serialized lambdas. This build reads neither. A version 3
 * payload that names classes by the packages they had before they moved reads as the classes now
 * ({@link MovedClasses}).
 */
public final class CheckpointStore {
    private static final byte[] MAGIC = "FLCK".getBytes(StandardCharsets.US_ASCII);
    /**
     * 3: adapters by named targets; 2: rank policies as their classes, typed server states
     * ({@code GlobalModel<S>}, FLoRA's merged base as a {@code BaseDelta}).
     */
    static final int VERSION = 3;
    static final int KEEP = 2;

    private final Path dir;
    private final FileSystem fs;
    private final String configHash;

    public CheckpointStore(String runDir, String configHash, Configuration conf) throws IOException {
        this.dir = new Path(runDir, "checkpoints");
        this.fs = dir.getFileSystem(conf);
        this.configHash = configHash;
    }

    public void write(Checkpoint checkpoint) throws IOException {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(payload)) {
            out.writeObject(checkpoint);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(MAGIC);
        out.writeInt(VERSION);
        out.writeUTF(configHash);
        out.writeInt(checkpoint.round());
        out.writeInt(payload.size());
        payload.writeTo(out);
        out.flush();
        CRC32C crc = new CRC32C();
        crc.update(bytes.toByteArray());
        out.writeLong(crc.getValue());
        out.flush();

        fs.mkdirs(dir);
        Path target = new Path(dir, String.format("round-%04d.ckpt", checkpoint.round()));
        Path tmp = new Path(dir, "." + target.getName() + ".tmp");
        try (OutputStream os = fs.create(tmp, true)) {
            bytes.writeTo(os);
        }
        fs.delete(target, false);
        if (!fs.rename(tmp, target)) throw new IOException("cannot rename " + tmp + " to " + target);
        FileStatus[] all = checkpoints();
        for (int i = 0; i < all.length - KEEP; i++) fs.delete(all[i].getPath(), false);
    }

    private FileStatus[] checkpoints() throws IOException {
        if (!fs.exists(dir)) return new FileStatus[0];
        FileStatus[] all = fs.listStatus(dir, p -> p.getName().matches("round-\\d+\\.ckpt"));
        Arrays.sort(all, Comparator.comparing(s -> s.getPath().getName()));
        return all;
    }

    /**
     * The latest checkpoint, if any.
     * @throws ConfigError if it is corrupt, truncated or written by another config
     */
    public Optional<Checkpoint> latest() throws IOException {
        FileStatus[] all = checkpoints();
        if (all.length == 0) return Optional.empty();
        Path p = all[all.length - 1].getPath();
        byte[] data;
        try (InputStream in = fs.open(p)) {
            data = in.readAllBytes();
        } catch (IOException e) {
            throw new ConfigError("checkpoint " + p + " cannot be read (corrupt or truncated: " + e.getMessage()
                    + "); remove it or rerun with --force to start over", e);
        }
        return Optional.of(parse(p.toString(), data));
    }

    Checkpoint parse(String name, byte[] data) {
        String fix = "; remove it or rerun with --force to start over";
        if (data.length < MAGIC.length + 8 || !Arrays.equals(Arrays.copyOf(data, MAGIC.length), MAGIC)) {
            throw new ConfigError("checkpoint " + name + " is not a checkpoint file" + fix);
        }
        CRC32C crc = new CRC32C();
        crc.update(data, 0, data.length - 8);
        if (crc.getValue() != ByteBuffer.wrap(data, data.length - 8, 8).getLong()) {
            throw new ConfigError("checkpoint " + name + " fails its CRC32C checksum (corrupt or truncated)" + fix);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data, MAGIC.length, data.length))) {
            int version = in.readInt();
            if (version != VERSION) {
                throw new ConfigError("checkpoint " + name + " has format version " + version + ", but this build reads"
                        + " only version " + VERSION + (version < VERSION ? " (it was written by an older build)" : "")
                        + fix);
            }
            String hash = in.readUTF();
            if (!hash.equals(configHash)) {
                throw new ConfigError("checkpoint " + name + " belongs to config hash " + hash + ", not this config ("
                        + configHash + ")" + fix);
            }
            int round = in.readInt();
            byte[] payload = new byte[in.readInt()];
            in.readFully(payload);
            try (ObjectInputStream objects = new MovedClasses(new ByteArrayInputStream(payload))) {
                Checkpoint c = (Checkpoint) objects.readObject();
                if (c.round() != round) throw new ConfigError("checkpoint " + name + " is inconsistent" + fix);
                return c;
            }
        } catch (IOException | ClassNotFoundException | ClassCastException | IllegalArgumentException e) {
            throw new ConfigError("checkpoint " + name + " cannot be read: " + e.getMessage() + fix, e);
        }
    }
}
