package dev.fedlora.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Reads an image set in the IDX format of MNIST and Fashion-MNIST from any Hadoop file system
 * (local, {@code hdfs://}, {@code s3a://}). Files may be gzipped; that is detected from the
 * content (magic bytes 1f 8b), not from the file name.
 *
 * <p>Images file: big-endian int32 magic {@code 0x00000803}, image count, rows, columns, then
 * count x rows x columns unsigned bytes. Labels file: magic {@code 0x00000801}, count, then one
 * unsigned byte per image; the number of classes is the largest label + 1.
 */
public final class IdxReader {
    static final int IMAGES_MAGIC = 0x00000803;
    /** The largest label a client partition can deal (classes are a 31-bit mask there). */
    static final int MAX_LABEL = 30;
    static final int LABELS_MAGIC = 0x00000801;

    private static final int BUFFER_BYTES = 1 << 16;

    private IdxReader() {}

    /** {@link #read(String, String, String, Configuration)} with a default Hadoop configuration. */
    public static LabeledImages read(String name, String imagesPath, String labelsPath) {
        return read(name, imagesPath, labelsPath, new Configuration());
    }

    /**
     * @param name the name the image set carries in logs and reports
     * @throws DataException if a file is missing, unreadable, has the wrong magic number or is
     *     truncated, if the two files disagree on the number of examples, or if a label is out of
     *     range
     */
    public static LabeledImages read(String name, String imagesPath, String labelsPath, Configuration conf) {
        Images images = readImages(imagesPath, conf);
        byte[] labels = readLabels(labelsPath, conf);
        if (labels.length != images.count()) {
            throw new DataException("image and label counts differ: " + imagesPath + " holds " + images.count()
                    + " images but " + labelsPath + " holds " + labels.length + " labels");
        }
        return new LabeledImages(name, images.count(), images.features(), images.pixels(), labels);
    }

    private record Images(int count, int features, byte[] pixels) {}

    private static Images readImages(String path, Configuration conf) {
        try (InputStream in = open(path, "IDX images file", conf)) {
            expectMagic(in, path, IMAGES_MAGIC, "IDX images: unsigned bytes, 3 dimensions");
            ByteBuffer dims = ByteBuffer.wrap(readExactly(in, path, 12, "header"));
            int count = dimension(path, "image count", dims.getInt());
            int rows = dimension(path, "rows", dims.getInt());
            int cols = dimension(path, "columns", dims.getInt());
            long pixelBytes = (long) count * rows * cols;
            if (pixelBytes > Integer.MAX_VALUE - 8) {
                throw new DataException(path + ": header says " + count + " x " + rows + " x " + cols
                        + " pixels, more than one array can hold");
            }
            byte[] pixels = readExactly(in, path, (int) pixelBytes, "pixel data");
            return new Images(count, rows * cols, pixels);
        } catch (IOException e) {
            throw new DataException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static byte[] readLabels(String path, Configuration conf) {
        try (InputStream in = open(path, "IDX labels file", conf)) {
            expectMagic(in, path, LABELS_MAGIC, "IDX labels: unsigned bytes, 1 dimension");
            ByteBuffer dims = ByteBuffer.wrap(readExactly(in, path, 4, "header"));
            int count = dimension(path, "label count", dims.getInt());
            byte[] labels = readExactly(in, path, count, "label data");
            checkLabelRange(path, labels);
            return labels;
        } catch (IOException e) {
            throw new DataException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static InputStream open(String path, String kind, Configuration conf) throws IOException {
        Path file = new Path(path);
        InputStream raw;
        try {
            raw = file.getFileSystem(conf).open(file);
        } catch (FileNotFoundException e) {
            throw new DataException(kind + " not found: " + path + " — run jobs/fetch-data.sh or set data.dir", e);
        }
        BufferedInputStream in = new BufferedInputStream(raw, BUFFER_BYTES);
        return isGzip(in) ? new BufferedInputStream(new GZIPInputStream(in, BUFFER_BYTES), BUFFER_BYTES) : in;
    }

    private static boolean isGzip(BufferedInputStream in) throws IOException {
        in.mark(2);
        int first = in.read();
        int second = in.read();
        in.reset();
        return first == 0x1f && second == 0x8b;
    }

    private static void expectMagic(InputStream in, String path, int expected, String meaning) throws IOException {
        int found = ByteBuffer.wrap(readExactly(in, path, 4, "magic number")).getInt();
        if (found != expected) {
            throw new DataException(String.format("%s: wrong magic number: expected 0x%08x (%s), found 0x%08x",
                    path, expected, meaning, found));
        }
    }

    private static int dimension(String path, String what, int value) {
        if (value < 0) {
            throw new DataException(path + ": " + what + " in the header must be >= 0, found " + value);
        }
        return value;
    }

    /** Reads exactly {@code n} bytes, or fails saying how many there were. */
    private static byte[] readExactly(InputStream in, String path, int n, String what) throws IOException {
        byte[] bytes = new byte[n];
        int found;
        try {
            found = in.readNBytes(bytes, 0, n);
        } catch (EOFException e) {
            throw new DataException(path + ": truncated: the gzip stream ends inside the " + what, e);
        }
        if (found < n) {
            throw new DataException(path + ": truncated: expected " + n + " bytes of " + what + ", found " + found);
        }
        return bytes;
    }

    private static void checkLabelRange(String path, byte[] labels) {
        for (int i = 0; i < labels.length; i++) {
            int label = labels[i] & 0xff;
            if (label > MAX_LABEL) {
                throw new DataException(path + ": label " + label + " of example " + i + " is outside [0, "
                        + MAX_LABEL + "]");
            }
        }
    }
}
