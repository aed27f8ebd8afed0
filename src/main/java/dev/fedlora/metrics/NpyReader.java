package dev.fedlora.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Reads the float32 {@code .npy} files {@link NpyWriter} writes (format 1.0, little-endian, C order). */
public final class NpyReader {
    private static final Pattern SHAPE = Pattern.compile("'shape': \\(([0-9, ]*)\\)");

    /** An array with its shape. */
    public record Array(float[] values, int[] shape) {}

    private NpyReader() {}

    /** @throws IOException if the file is missing or is not a float32 C-order .npy */
    public static Array read(String path, Configuration conf) throws IOException {
        Path p = new Path(path);
        byte[] all;
        FileSystem fs = p.getFileSystem(conf);
        try (InputStream in = fs.open(p)) {
            all = in.readAllBytes();
        }
        if (all.length < 10 || (all[0] & 0xff) != 0x93 || !new String(all, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
            throw new IOException(path + ": not a .npy file");
        }
        int headerLength = (all[8] & 0xff) | (all[9] & 0xff) << 8;
        String header = new String(all, 10, headerLength, StandardCharsets.US_ASCII);
        if (!header.contains("'descr': '<f4'") || !header.contains("'fortran_order': False")) {
            throw new IOException(path + ": expected little-endian float32 in C order, found header " + header.strip());
        }
        Matcher m = SHAPE.matcher(header);
        if (!m.find()) throw new IOException(path + ": no shape in header " + header.strip());
        String[] dims = m.group(1).split(",");
        int count = 0;
        int[] shape = new int[dims.length];
        long n = 1;
        for (String d : dims) {
            if (d.isBlank()) continue;
            shape[count] = Integer.parseInt(d.strip());
            n *= shape[count++];
        }
        shape = java.util.Arrays.copyOf(shape, count);
        int start = 10 + headerLength;
        if (all.length - start != 4 * n) {
            throw new IOException(path + ": " + (all.length - start) + " data bytes for " + n + " float32 values");
        }
        float[] values = new float[(int) n];
        ByteBuffer.wrap(all, start, all.length - start).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return new Array(values, shape);
    }
}
