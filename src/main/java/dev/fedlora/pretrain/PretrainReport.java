package dev.fedlora.pretrain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The JSON report the transformer pretraining job writes next to the base it made (see
 * {@link TransformerPretrainCommand} for its fields), and the file helpers it needs: SHA-256 of a
 * file, atomic JSON writes, reads. Files go through the Hadoop FileSystem API.
 */
public final class PretrainReport {
    /** The report's {@code format} field. */
    public static final String FORMAT = "fedlora-transformer-pretrain 1";
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PretrainReport() {}

    public static ObjectNode newObject() {
        return JSON.createObjectNode();
    }

    /** SHA-256 of a file's bytes, 64 lower-case hex digits. */
    public static String sha256(String path, Configuration conf) throws IOException {
        Path p = new Path(path);
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        byte[] buf = new byte[1 << 16];
        try (InputStream in = p.getFileSystem(conf).open(p)) {
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    public static boolean exists(String path, Configuration conf) throws IOException {
        Path p = new Path(path);
        return p.getFileSystem(conf).exists(p);
    }

    public static void delete(String path, Configuration conf) throws IOException {
        Path p = new Path(path);
        p.getFileSystem(conf).delete(p, false);
    }

    /** Writes the report to a temporary name in the same folder and renames it. */
    public static void write(JsonNode report, String path, Configuration conf) throws IOException {
        byte[] bytes = (JSON.writeValueAsString(report) + "\n").getBytes(StandardCharsets.UTF_8);
        Path target = new Path(path);
        FileSystem fs = target.getFileSystem(conf);
        Path tmp = new Path(target.getParent(), "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (OutputStream os = fs.create(tmp, true)) {
                os.write(bytes);
            }
            if (fs.exists(target)) fs.delete(target, false);
            if (!fs.rename(tmp, target)) throw new IOException("could not rename " + tmp + " to " + target);
        } finally {
            if (fs.exists(tmp)) fs.delete(tmp, false);
        }
    }

    /** @throws IOException if the file cannot be read or is not JSON */
    public static JsonNode read(String path, Configuration conf) throws IOException {
        Path p = new Path(path);
        try (InputStream in = p.getFileSystem(conf).open(p)) {
            return JSON.readTree(in);
        }
    }
}
