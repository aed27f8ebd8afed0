package dev.fedlora.model.transformer;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The transformer base file format ({@code .fltb}), big-endian throughout:
 * <pre>
 *   bytes 0-3   magic "FLTB"
 *   int32       format version (1)
 *   int32[6]    config: vocabSize, contextLength, dModel, heads, layers, dFF
 *   int32       n, the number of tensors (2 + 16 layers + 2)
 *   n times, in {@link TransformerBase#tensorNames()} order:
 *     uint16 + bytes   the tensor's name, as {@link java.io.DataOutput#writeUTF} writes it
 *     int32            rank (1 or 2)
 *     int32[rank]      dimensions
 *     float32[...]     values, row-major
 *   int64       CRC32C of every byte before it
 * </pre>
 * LayerNorm's epsilon (1e-5) and GELU's tanh form belong to format version 1. The total length
 * follows from the config, so a short file is reported as truncated before its checksum is
 * checked. Written through the Hadoop FileSystem API to a temporary name in the same directory
 * and renamed, so a half-written file never has the final name.
 */
public final class TransformerBaseFile {
    private static final byte[] MAGIC = "FLTB".getBytes(StandardCharsets.US_ASCII);
    public static final int VERSION = 1;
    private static final int HEADER_BYTES = 4 + 4 + 6 * 4 + 4;
    private static final int CHUNK = 1 << 16;

    private TransformerBaseFile() {}

    /** Writes {@code base} to {@code path} (replacing a file there). */
    public static void write(TransformerBase base, String path, Configuration conf) throws IOException {
        Path target = new Path(path);
        FileSystem fs = target.getFileSystem(conf);
        Path tmp = new Path(target.getParent(), "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (OutputStream os = fs.create(tmp, true)) {
                write(base, os);
            }
            if (fs.exists(target)) fs.delete(target, false);
            if (!fs.rename(tmp, target)) throw new IOException("could not rename " + tmp + " to " + target);
        } finally {
            if (fs.exists(tmp)) fs.delete(tmp, false);
        }
    }

    /** Writes the format to a stream (not closed). */
    static void write(TransformerBase base, OutputStream os) throws IOException {
        CRC32C crc = new CRC32C();
        CheckedOutputStream checked = new CheckedOutputStream(new BufferedOutputStream(os, CHUNK), crc);
        DataOutputStream out = new DataOutputStream(checked);
        TransformerConfig c = base.config();
        out.write(MAGIC);
        out.writeInt(VERSION);
        for (int v : configInts(c)) out.writeInt(v);
        Layout layout = base.layout();
        out.writeInt(layout.tensorCount());
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
        for (int t = 0; t < layout.tensorCount(); t++) {
            out.writeUTF(layout.tensorNames.get(t));
            int[] shape = layout.shape(t);
            out.writeInt(shape.length);
            for (int s : shape) out.writeInt(s);
            writeFloats(out, base.tensor(t), chunk);
        }
        out.flush();
        long sum = crc.getValue();
        DataOutputStream trailer = new DataOutputStream(os);
        trailer.writeLong(sum);
        trailer.flush();
    }

    private static void writeFloats(DataOutputStream out, float[] values, ByteBuffer chunk) throws IOException {
        for (int from = 0; from < values.length; ) {
            int n = Math.min(values.length - from, CHUNK / 4);
            chunk.clear();
            chunk.asFloatBuffer().put(values, from, n);
            out.write(chunk.array(), 0, 4 * n);
            from += n;
        }
    }

    /**
     * Reads a base written by {@link #write}.
     * @throws TransformerFileException naming the file and the fault: not found, unreadable,
     *     bad magic, unsupported format version, an invalid config, truncated (or trailing
     *     bytes), unexpected tensor layout, or a checksum mismatch
     */
    public static TransformerBase read(String path, Configuration conf) {
        Path p = new Path(path);
        try {
            FileSystem fs = p.getFileSystem(conf);
            if (!fs.exists(p)) throw new TransformerFileException("transformer base not found: " + path);
            long length = fs.getFileStatus(p).getLen();
            try (InputStream in = fs.open(p)) {
                return read(path, in, length);
            }
        } catch (ChecksumException e) {
            throw new TransformerFileException("transformer base " + path + " fails the file system's checksum: "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new TransformerFileException("cannot read transformer base " + path + ": " + e.getMessage(), e);
        }
    }

    /** Parses {@code length} bytes from a stream; {@code path} only names the file in messages. */
    static TransformerBase read(String path, InputStream raw, long length) throws IOException {
        String file = "transformer base " + path;
        Tracked tracked = new Tracked(raw);
        DataInputStream in = new DataInputStream(tracked);
        try {
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new TransformerFileException(path + " is not a transformer base file (magic is not FLTB)");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new TransformerFileException(file + " has unsupported format version " + version
                        + "; this build reads version " + VERSION);
            }
            int[] ints = new int[6];
            for (int i = 0; i < ints.length; i++) ints[i] = in.readInt();
            TransformerConfig config;
            try {
                config = new TransformerConfig(ints[0], ints[1], ints[2], ints[3], ints[4], ints[5]);
            } catch (IllegalArgumentException e) {
                throw corruptOr(tracked, length, file, file + " declares an invalid config: " + e.getMessage());
            }
            Layout layout = new Layout(config);
            long expected = expectedLength(layout);
            if (length < expected) {
                throw new TransformerFileException(file + " is truncated: " + length + " bytes, expected " + expected
                        + " for " + config);
            }
            if (length > expected) {
                throw new TransformerFileException(file + " has " + (length - expected)
                        + " unexpected trailing bytes (" + length + " bytes, expected " + expected + " for " + config + ")");
            }
            int count = in.readInt();
            if (count != layout.tensorCount()) {
                throw corruptOr(tracked, length, file, file + " lists " + count + " tensors, expected "
                        + layout.tensorCount() + " for " + config);
            }
            float[][] tensors = new float[count][];
            byte[] chunk = new byte[CHUNK];
            for (int t = 0; t < count; t++) {
                String name = in.readUTF();
                int[] want = layout.shape(t);
                int rank = in.readInt();
                int[] shape = new int[Math.max(0, Math.min(rank, 2))];
                for (int i = 0; i < shape.length; i++) shape[i] = in.readInt();
                if (!name.equals(layout.tensorNames.get(t)) || rank != want.length || !Arrays.equals(shape, want)) {
                    throw corruptOr(tracked, length, file, file + " has tensor #" + t + " '" + name + "' of rank "
                            + rank + " shape " + Arrays.toString(shape) + ", expected '" + layout.tensorNames.get(t)
                            + "' " + Arrays.toString(want));
                }
                tensors[t] = readFloats(in, layout.size(t), chunk);
            }
            long computed = tracked.crc.getValue();
            long stored = tracked.trailer();
            if (stored != computed) throw checksumMismatch(file, stored, computed);
            return new TransformerBase(config, tensors);
        } catch (EOFException e) {
            throw new TransformerFileException(file + " is truncated: " + length + " bytes", e);
        }
    }

    /**
     * A layout fault found before the checksum: reads on to the trailer and reports a checksum
     * mismatch if there is one (then the fault is corruption), else {@code message}.
     */
    private static TransformerFileException corruptOr(Tracked in, long length, String file, String message)
            throws IOException {
        byte[] skip = new byte[CHUNK];
        long remaining = length - 8 - in.count;
        while (remaining > 0) {
            int n = in.read(skip, 0, (int) Math.min(skip.length, remaining));
            if (n < 0) break;
            remaining -= n;
        }
        if (remaining != 0) return new TransformerFileException(message);
        long computed = in.crc.getValue();
        long stored = in.trailer();
        return stored != computed ? checksumMismatch(file, stored, computed) : new TransformerFileException(message);
    }

    private static TransformerFileException checksumMismatch(String file, long stored, long computed) {
        return new TransformerFileException(file + " fails its CRC32C checksum (stored " + Long.toHexString(stored)
                + ", computed " + Long.toHexString(computed) + "): the file is corrupt");
    }

    /** Counts and checksums every byte read through it; the trailer is read past the checksum. */
    private static final class Tracked extends FilterInputStream {
        final CRC32C crc = new CRC32C();
        long count;

        Tracked(InputStream raw) {
            super(new BufferedInputStream(raw, CHUNK));
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                crc.update(b);
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                crc.update(b, off, n);
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            throw new UnsupportedOperationException("every byte must pass the checksum");
        }

        long trailer() throws IOException {
            return new DataInputStream(in).readLong();
        }
    }

    private static float[] readFloats(DataInputStream in, int n, byte[] chunk) throws IOException {
        float[] values = new float[n];
        ByteBuffer view = ByteBuffer.wrap(chunk);
        for (int from = 0; from < n; ) {
            int m = Math.min(n - from, chunk.length / 4);
            in.readFully(chunk, 0, 4 * m);
            view.clear();
            view.asFloatBuffer().get(values, from, m);
            from += m;
        }
        return values;
    }

    /** The exact file length of a layout, trailer included. */
    static long expectedLength(Layout layout) {
        long bytes = HEADER_BYTES;
        for (int t = 0; t < layout.tensorCount(); t++) {
            bytes += 2 + layout.tensorNames.get(t).getBytes(StandardCharsets.UTF_8).length;
            bytes += 4 + 4L * layout.shape(t).length + 4L * layout.size(t);
        }
        return bytes + 8;
    }

    private static int[] configInts(TransformerConfig c) {
        return new int[] {c.vocabSize(), c.contextLength(), c.dModel(), c.heads(), c.layers(), c.dFF()};
    }
}
