package dev.fedlora.model.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The .fltb format: a bit-identical round trip, and one clear message per kind of damage. */
class TransformerBaseFileTest {
    private static final Configuration CONF = new Configuration();

    @TempDir
    Path dir;

    private final TransformerBase base = TransformerBase.init(Fixtures.TINY, 71);

    TransformerBaseFileTest() {
        float[] e = base.tensor("embed.token");
        e[0] = -0.0f;                 // bits that a lossy format would change
        e[1] = Float.MIN_VALUE;
        e[2] = Float.intBitsToFloat(0x7fc00123); // a NaN with a payload
    }

    private String write(String name) throws IOException {
        String path = dir.resolve(name).toString();
        TransformerBaseFile.write(base, path, CONF);
        return path;
    }

    @Test
    void roundTripIsBitIdenticalAndLeavesNoTemporaryFile() throws IOException {
        String path = write("base.fltb");
        TransformerBase read = TransformerBaseFile.read(path, CONF);
        assertEquals(base.config(), read.config());
        assertEquals(base.tensorNames(), read.tensorNames());
        for (String name : base.tensorNames()) Fixtures.assertSameBits(base.tensor(name), read.tensor(name), name);

        String again = dir.resolve("again.fltb").toString();
        TransformerBaseFile.write(read, again, CONF);
        assertArrayEquals(Files.readAllBytes(Path.of(path)), Files.readAllBytes(Path.of(again)), "same bytes");
        assertEquals(TransformerBaseFile.expectedLength(base.layout()), Files.size(Path.of(path)));
        TransformerBaseFile.write(base, path, CONF); // replacing an existing file
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".crc"))
                    .sorted().collect(Collectors.toList());
            assertEquals(List.of("again.fltb", "base.fltb"), names);
        }
    }

    @Test
    void eachKindOfDamageHasItsMessage() throws IOException {
        byte[] good = Files.readAllBytes(Path.of(write("base.fltb")));

        byte[] magic = good.clone();
        magic[0] = 'X';
        assertEquals(damaged("magic", magic) + " is not a transformer base file (magic is not FLTB)", readError("magic"));

        byte[] version = good.clone();
        ByteBuffer.wrap(version).putInt(4, 2);
        damaged("version", version);
        assertEquals("transformer base " + dir.resolve("version") + " has unsupported format version 2; this build reads version 1",
                readError("version"));

        long expected = good.length;
        damaged("short", Arrays.copyOf(good, good.length - 100));
        assertEquals("transformer base " + dir.resolve("short") + " is truncated: " + (expected - 100) + " bytes, expected "
                + expected + " for " + Fixtures.TINY, readError("short"));
        damaged("stub", Arrays.copyOf(good, 10));
        assertEquals("transformer base " + dir.resolve("stub") + " is truncated: 10 bytes", readError("stub"));

        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x10;
        damaged("flipped", flipped);
        assertTrue(readError("flipped").startsWith("transformer base " + dir.resolve("flipped")
                + " fails its CRC32C checksum (stored "), readError("flipped"));

        byte[] renamed = good.clone();
        int at = indexOf(good, "embed.position".getBytes());
        renamed[at] = 'E';
        damaged("renamed", renamed);
        assertTrue(readError("renamed").contains("fails its CRC32C checksum"), readError("renamed"));

        byte[] longer = Arrays.copyOf(good, good.length + 3);
        damaged("longer", longer);
        assertTrue(readError("longer").contains("has 3 unexpected trailing bytes"), readError("longer"));

        byte[] badConfig = good.clone();
        ByteBuffer.wrap(badConfig).putInt(8 + 3 * 4, 3); // heads = 3 with dModel = 8
        resign(badConfig);
        damaged("config", badConfig);
        assertEquals("transformer base " + dir.resolve("config") + " declares an invalid config: dModel must be divisible "
                + "by heads, found dModel=8 heads=3", readError("config"));

        assertEquals("transformer base not found: " + dir.resolve("absent"), readError("absent"));
    }

    /** Writes bytes straight to a new file (no Hadoop .crc beside it), returns its path. */
    private String damaged(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p.toString();
    }

    private String readError(String name) {
        return assertThrows(TransformerFileException.class,
                () -> TransformerBaseFile.read(dir.resolve(name).toString(), CONF)).getMessage();
    }

    private static void resign(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 8);
        ByteBuffer.wrap(bytes).putLong(bytes.length - 8, crc.getValue());
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return i;
        }
        throw new AssertionError("not found");
    }
}
