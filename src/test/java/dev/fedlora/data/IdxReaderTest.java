package dev.fedlora.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    private static final byte[] PIXELS = {0, 1, 127, (byte) 128, (byte) 200, (byte) 255, 7, 8, 9, 10, 11, 12};
    private static final byte[] LABELS = {0, 9, 5};

    @TempDir
    Path dir;

    @Test
    void readsRawFilesExactly() throws IOException {
        Path images = writeImages("images.idx", false, 3, 2, 2, PIXELS);
        Path labels = writeLabels("labels.idx", false, LABELS);

        assertMatchesFixture(IdxReader.read("tiny", images.toString(), labels.toString()));
    }

    @Test
    void readsGzippedFilesThroughFileUris() throws IOException {
        Path images = writeImages("images.idx.gz", true, 3, 2, 2, PIXELS);
        Path labels = writeLabels("labels.idx.gz", true, LABELS);

        assertMatchesFixture(IdxReader.read("tiny", images.toUri().toString(), labels.toUri().toString()));
    }

    @Test
    void detectsGzipFromContentNotName() throws IOException {
        Path gzippedWithoutSuffix = writeImages("images.idx", true, 3, 2, 2, PIXELS);
        Path rawWithGzSuffix = writeLabels("labels.gz", false, LABELS);

        assertMatchesFixture(IdxReader.read("tiny", gzippedWithoutSuffix.toString(), rawWithGzSuffix.toString()));
    }

    @Test
    void truncatedPixelDataNamesFileAndByteCounts() throws IOException {
        Path images = writeImages("short-images.idx", false, 3, 2, 2, Arrays.copyOf(PIXELS, 9));
        Path labels = writeLabels("labels.idx", false, LABELS);

        DataException e = assertThrows(DataException.class,
                () -> IdxReader.read("tiny", images.toString(), labels.toString()));
        assertContains(e, "short-images.idx");
        assertContains(e, "expected 12 bytes of pixel data, found 9");
    }

    @Test
    void truncatedGzipStreamNamesFile() throws IOException {
        Path whole = writeImages("whole.idx.gz", true, 3, 2, 2, PIXELS);
        byte[] bytes = Files.readAllBytes(whole);
        Path images = Files.write(dir.resolve("cut-images.idx.gz"), Arrays.copyOf(bytes, bytes.length / 2));
        Path labels = writeLabels("labels.idx", false, LABELS);

        DataException e = assertThrows(DataException.class,
                () -> IdxReader.read("tiny", images.toString(), labels.toString()));
        assertContains(e, "cut-images.idx.gz");
    }

    @Test
    void wrongMagicNamesFileExpectedAndFound() throws IOException {
        Path labels = writeLabels("labels.idx", false, LABELS);

        DataException e = assertThrows(DataException.class,
                () -> IdxReader.read("tiny", labels.toString(), labels.toString()));
        assertContains(e, "labels.idx");
        assertContains(e, "expected 0x00000803");
        assertContains(e, "found 0x00000801");
    }

    @Test
    void countMismatchNamesBothFiles() throws IOException {
        Path images = writeImages("three-images.idx", false, 3, 2, 2, PIXELS);
        Path labels = writeLabels("two-labels.idx", false, new byte[] {1, 2});

        DataException e = assertThrows(DataException.class,
                () -> IdxReader.read("tiny", images.toString(), labels.toString()));
        assertContains(e, "three-images.idx");
        assertContains(e, "two-labels.idx");
        assertContains(e, "3 images");
        assertContains(e, "2 labels");
    }

    @Test
    void labelOutOfRangeNamesFileAndExample() throws IOException {
        Path images = writeImages("images.idx", false, 3, 2, 2, PIXELS);
        Path labels = writeLabels("bad-labels.idx", false, new byte[] {0, (byte) 200, 5});

        DataException e = assertThrows(DataException.class,
                () -> IdxReader.read("tiny", images.toString(), labels.toString()));
        assertContains(e, "bad-labels.idx");
        assertContains(e, "label 200 of example 1");
    }

    @Test
    void missingFileNamesFileAndHowToGetIt() throws IOException {
        Path labels = writeLabels("labels.idx", false, LABELS);
        String missing = dir.resolve("no-such-images.gz").toString();

        DataException e = assertThrows(DataException.class,
                () -> IdxReader.read("tiny", missing, labels.toString()));
        assertContains(e, "not found: " + missing);
        assertContains(e, "jobs/fetch-data.sh");
    }

    @Test
    void readsFashionMnistWhenFetched() {
        Path data = Path.of("data", "fashion-mnist");
        assumeTrue(Files.isDirectory(data), "run jobs/fetch-data.sh to include the real data");

        assertShape(readSplit(data, "train"), 60_000, 6_000);
        assertShape(readSplit(data, "t10k"), 10_000, 1_000);
    }

    private static LabeledImages readSplit(Path dir, String split) {
        return IdxReader.read("fashion-mnist-" + split,
                dir.resolve(split + "-images-idx3-ubyte.gz").toString(),
                dir.resolve(split + "-labels-idx1-ubyte.gz").toString());
    }

    private static void assertShape(LabeledImages images, int size, int perClass) {
        assertEquals(size, images.size());
        assertEquals(784, images.features());
        int[] counts = new int[10];
        for (int label : images.labels()) counts[label]++;
        int[] expected = new int[10];
        Arrays.fill(expected, perClass);
        assertArrayEquals(expected, counts);
    }

    private static void assertMatchesFixture(LabeledImages images) {
        assertEquals("tiny", images.name());
        assertEquals(3, images.size());
        assertEquals(4, images.features());
        assertArrayEquals(new int[] {0, 9, 5}, images.labels());
        float[] rows = images.featureRows(new int[] {0, 1, 2}, 0, 3);
        for (int i = 0; i < PIXELS.length; i++) {
            assertEquals(PIXELS[i] & 0xff, Math.round(rows[i] * 255), "pixel " + i);
        }
    }

    private static void assertContains(Exception e, String part) {
        assertTrue(e.getMessage().contains(part), () -> "message lacks '" + part + "': " + e.getMessage());
    }

    private Path writeImages(String name, boolean gzip, int count, int rows, int cols, byte[] pixels)
            throws IOException {
        return write(name, gzip, new int[] {IdxReader.IMAGES_MAGIC, count, rows, cols}, pixels);
    }

    private Path writeLabels(String name, boolean gzip, byte[] labels) throws IOException {
        return write(name, gzip, new int[] {IdxReader.LABELS_MAGIC, labels.length}, labels);
    }

    private Path write(String name, boolean gzip, int[] header, byte[] body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream sink = gzip ? new GZIPOutputStream(bytes) : bytes;
                DataOutputStream out = new DataOutputStream(sink)) {
            for (int value : header) out.writeInt(value);
            out.write(body);
        }
        return Files.write(dir.resolve(name), bytes.toByteArray());
    }
}
