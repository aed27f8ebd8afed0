package dev.fedlora.model;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The base-model file format ({@code .flbm}), big-endian throughout:
 * <pre>
 *   bytes 0-3   magic "FLBM"
 *   int32       format version (1)
 *   int32       L+1, the number of layer sizes
 *   int32[L+1]  layer sizes (inputs first)
 *   for each layer l in 0..L-1: float32[out*in] weights (row-major), float32[out] bias
 *   int64       CRC32C of every byte before it
 * </pre>
 * Written to a temporary name and renamed, through the Hadoop FileSystem API.
 */
public final class BaseModelFile {
    private static final byte[] MAGIC = "FLBM".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    private static final int MAX_WIDTH = 1 << 16;

    private BaseModelFile() {}

    public static void write(BaseMlp model, String path, Configuration conf) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(MAGIC);
        out.writeInt(VERSION);
        int[] sizes = model.sizes();
        out.writeInt(sizes.length);
        for (int s : sizes) out.writeInt(s);
        for (int l = 0; l < model.layers(); l++) {
            for (float v : model.weight(l)) out.writeFloat(v);
            for (float v : model.bias(l)) out.writeFloat(v);
        }
        out.flush();
        CRC32C crc = new CRC32C();
        crc.update(bytes.toByteArray());
        out.writeLong(crc.getValue());
        out.flush();

        Path target = new Path(path);
        FileSystem fs = target.getFileSystem(conf);
        Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp");
        try (OutputStream os = fs.create(tmp, true)) {
            bytes.writeTo(os);
        }
        fs.delete(target, false);
        if (!fs.rename(tmp, target)) throw new IOException("could not rename " + tmp + " to " + target);
    }

    /**
     * @throws ModelFileException if the file is missing, not a base-model file, of another version,
     *     truncated, or fails its checksum
     */
    public static BaseMlp read(String path, Configuration conf) {
        Path p = new Path(path);
        byte[] all;
        try {
            FileSystem fs = p.getFileSystem(conf);
            if (!fs.exists(p)) {
                throw new ModelFileException("base model not found: " + path
                        + " (run jobs/pretrain.sh, or set model.base to an existing .flbm file)");
            }
            try (InputStream in = fs.open(p)) {
                all = in.readAllBytes();
            }
        } catch (IOException e) {
            throw new ModelFileException("cannot read base model " + path + ": " + e.getMessage(), e);
        }
        return parse(path, all);
    }

    static BaseMlp parse(String path, byte[] all) {
        if (all.length < 8 + MAGIC.length + 8) throw new ModelFileException("base model " + path
                + " is truncated: " + all.length + " bytes");
        for (int i = 0; i < MAGIC.length; i++) {
            if (all[i] != MAGIC[i]) throw new ModelFileException(path + " is not a base-model file (magic is not FLBM)");
        }
        long stored = ByteBuffer.wrap(all, all.length - 8, 8).getLong();
        CRC32C crc = new CRC32C();
        crc.update(all, 0, all.length - 8);
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(all, 4, all.length - 12))) {
            int version = in.readInt();
            if (version != VERSION) throw new ModelFileException("base model " + path + " has format version "
                    + version + ", this build reads version " + VERSION);
            int n = in.readInt();
            if (n < 3 || n > 64) throw new ModelFileException("base model " + path + " declares " + n
                    + " layer sizes, expected 3..64");
            int[] sizes = new int[n];
            long values = 0;
            for (int i = 0; i < n; i++) {
                sizes[i] = in.readInt();
                if (sizes[i] < 1 || sizes[i] > MAX_WIDTH) throw new ModelFileException("base model " + path
                        + " declares layer size " + sizes[i] + ", expected 1.." + MAX_WIDTH);
                if (i > 0) values += (long) sizes[i - 1] * sizes[i] + sizes[i];
            }
            long expected = 4 + 4 + 4 + 4L * n + 4 * values + 8;
            if (all.length != expected) throw new ModelFileException("base model " + path + " is truncated or padded: "
                    + all.length + " bytes, expected " + expected + " for sizes " + java.util.Arrays.toString(sizes));
            if (crc.getValue() != stored) throw new ModelFileException("base model " + path
                    + " fails its CRC32C checksum (corrupt file)");
            float[][] w = new float[n - 1][];
            float[][] b = new float[n - 1][];
            for (int l = 0; l < n - 1; l++) {
                w[l] = readFloats(in, sizes[l] * sizes[l + 1]);
                b[l] = readFloats(in, sizes[l + 1]);
            }
            return new BaseMlp(sizes, w, b);
        } catch (EOFException e) {
            throw new ModelFileException("base model " + path + " is truncated", e);
        } catch (IOException e) {
            throw new ModelFileException("cannot parse base model " + path + ": " + e.getMessage(), e);
        }
    }

    private static float[] readFloats(DataInputStream in, int n) throws IOException {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = in.readFloat();
        return v;
    }

    /** A base-model file that cannot be used; the message names the file. */
    public static final class ModelFileException extends RuntimeException {
        public ModelFileException(String message) { super(message); }
        public ModelFileException(String message, Throwable cause) { super(message, cause); }
    }
}
