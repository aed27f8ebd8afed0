package dev.fedlora.data.text;

import dev.fedlora.data.DataException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The BPE tokenizer file format ({@code .bpe}), version 1: UTF-8 text, lines ending in {@code \n}.
 * <pre>
 *   fedlora-bpe 1
 *   pattern PATTERN                 the pre-tokeniser's regular expression, verbatim
 *   merges M
 *   LEFT RIGHT                      M lines: merge i (line 4 + i) makes token 256 + i
 *   special &lt;|endoftext|&gt;          token 256 + M
 *   special &lt;|pad|&gt;                token 257 + M
 *   sha256 HEX                      SHA-256 of every byte before this line, 64 lower-case hex digits
 * </pre>
 * Token ids are decimal. Writing the same tokenizer gives the same bytes. Written to a temporary
 * name and renamed, through the Hadoop FileSystem API.
 */
final class BpeTokenizerFile {
    static final String MAGIC = "fedlora-bpe";
    static final int VERSION = 1;
    private static final String PATTERN_KEY = "pattern ";
    private static final String MERGES_KEY = "merges ";
    private static final String SPECIAL_KEY = "special ";
    private static final String SHA_KEY = "sha256 ";
    private static final Pattern MERGE_LINE = Pattern.compile("(0|[1-9][0-9]{0,8}) (0|[1-9][0-9]{0,8})");
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    private BpeTokenizerFile() {}

    static byte[] format(BpeTokenizer tokenizer) {
        if (tokenizer.pattern().indexOf('\n') >= 0) {
            throw new IllegalArgumentException("the pre-tokeniser pattern holds a line break; it cannot be saved");
        }
        StringBuilder out = new StringBuilder(16 * tokenizer.merges() + 256);
        out.append(MAGIC).append(' ').append(VERSION).append('\n');
        out.append(PATTERN_KEY).append(tokenizer.pattern()).append('\n');
        out.append(MERGES_KEY).append(tokenizer.merges()).append('\n');
        for (int i = 0; i < tokenizer.merges(); i++) {
            int[] m = tokenizer.merge(i);
            out.append(m[0]).append(' ').append(m[1]).append('\n');
        }
        for (String special : BpeTokenizer.SPECIAL_TOKENS) out.append(SPECIAL_KEY).append(special).append('\n');
        byte[] body = out.toString().getBytes(StandardCharsets.UTF_8);
        byte[] sha = (SHA_KEY + checksum(body) + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[body.length + sha.length];
        System.arraycopy(body, 0, all, 0, body.length);
        System.arraycopy(sha, 0, all, body.length, sha.length);
        return all;
    }

    /** The checksum the tokenizer's file records on its last line, 64 lower-case hex digits. */
    static String checksum(BpeTokenizer tokenizer) {
        byte[] all = format(tokenizer);
        String text = new String(all, StandardCharsets.UTF_8);
        int last = text.lastIndexOf(SHA_KEY);
        return text.substring(last + SHA_KEY.length(), text.length() - 1);
    }

    private static String checksum(byte[] body) {
        return HexFormat.of().formatHex(sha256(body, body.length));
    }

    static void write(BpeTokenizer tokenizer, String path, Configuration conf) throws IOException {
        byte[] bytes = format(tokenizer);
        Path target = new Path(path);
        FileSystem fs = target.getFileSystem(conf);
        Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp");
        try (OutputStream os = fs.create(tmp, true)) {
            os.write(bytes);
        }
        fs.delete(target, false);
        if (!fs.rename(tmp, target)) throw new IOException("could not rename " + tmp + " to " + target);
    }

    static BpeTokenizer read(String path, Configuration conf) {
        Path p = new Path(path);
        byte[] all;
        try {
            FileSystem fs = p.getFileSystem(conf);
            if (!fs.exists(p)) throw new DataException("BPE tokenizer file not found: " + path);
            try (InputStream in = fs.open(p)) {
                all = in.readAllBytes();
            }
        } catch (IOException e) {
            throw new DataException("cannot read BPE tokenizer file " + path + ": " + e.getMessage(), e);
        }
        return parse(path, all);
    }

    static BpeTokenizer parse(String path, byte[] all) {
        if (all.length == 0) throw new DataException(path + ": empty file, expected a BPE tokenizer");
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(all)).toString();
        } catch (CharacterCodingException e) {
            throw new DataException(path + ": not a BPE tokenizer file (not UTF-8 text)", e);
        }
        String[] lines = text.split("\n", -1);
        checkVersion(path, lines[0]);
        if (!lines[lines.length - 1].isEmpty()) {
            throw new DataException(path + ": truncated: the file does not end with a line break");
        }
        int shaLine = lines.length - 2;
        checkChecksum(path, all, lines, shaLine);
        String pattern = pattern(path, lines);
        int count = number(path, lines, 3, MERGES_KEY, "merges M");
        int specialsAt = 3 + count;
        if (specialsAt + BpeTokenizer.SPECIAL_TOKENS.size() != shaLine) {
            throw new DataException(path + ": line 3 says " + count + " merges, but the file holds "
                    + (shaLine - 3 - BpeTokenizer.SPECIAL_TOKENS.size()) + " lines between it and the special tokens");
        }
        int[][] merges = new int[count][];
        for (int i = 0; i < count; i++) merges[i] = merge(path, lines[3 + i], 4 + i, i);
        for (int s = 0; s < BpeTokenizer.SPECIAL_TOKENS.size(); s++) {
            String expected = SPECIAL_KEY + BpeTokenizer.SPECIAL_TOKENS.get(s);
            if (!lines[specialsAt + s].equals(expected)) {
                throw new DataException(path + ": malformed line " + (specialsAt + s + 1) + ": expected '" + expected
                        + "', found '" + abbreviate(lines[specialsAt + s]) + "'");
            }
        }
        return new BpeTokenizer(pattern, merges);
    }

    private static void checkVersion(String path, String first) {
        String prefix = MAGIC + " ";
        if (!first.startsWith(prefix)) {
            throw new DataException(path + ": not a BPE tokenizer file: line 1 is '" + abbreviate(first)
                    + "', expected '" + MAGIC + " " + VERSION + "'");
        }
        String version = first.substring(prefix.length());
        if (!version.equals(Integer.toString(VERSION))) {
            throw new DataException(path + ": BPE tokenizer format version '" + abbreviate(version)
                    + "' is unknown; this build reads version " + VERSION);
        }
    }

    private static void checkChecksum(String path, byte[] all, String[] lines, int shaLine) {
        String last = shaLine >= 1 ? lines[shaLine] : "";
        if (!last.startsWith(SHA_KEY) || !HEX64.matcher(last.substring(SHA_KEY.length())).matches()) {
            throw new DataException(path + ": truncated or malformed: the last line is '" + abbreviate(last)
                    + "', expected 'sha256' and 64 hex digits");
        }
        int bodyLength = all.length - (last.getBytes(StandardCharsets.UTF_8).length + 1);
        String computed = HexFormat.of().formatHex(sha256(all, bodyLength));
        String recorded = last.substring(SHA_KEY.length());
        if (!computed.equals(recorded)) {
            throw new DataException(path + ": fails its SHA-256 checksum (recorded " + recorded + ", computed "
                    + computed + "): the file is corrupt or was edited");
        }
    }

    private static String pattern(String path, String[] lines) {
        if (lines.length < 3 || !lines[1].startsWith(PATTERN_KEY)) {
            throw new DataException(path + ": malformed line 2: expected 'pattern' and the pre-tokeniser's regular expression");
        }
        String pattern = lines[1].substring(PATTERN_KEY.length());
        try {
            Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new DataException(path + ": line 2: the pattern does not compile: " + e.getDescription(), e);
        }
        return pattern;
    }

    private static int number(String path, String[] lines, int lineNo, String key, String form) {
        String line = lines.length >= lineNo ? lines[lineNo - 1] : "";
        if (line.startsWith(key)) {
            String value = line.substring(key.length());
            if (value.matches("0|[1-9][0-9]{0,8}")) return Integer.parseInt(value);
        }
        throw new DataException(path + ": malformed line " + lineNo + ": expected '" + form + "', found '"
                + abbreviate(line) + "'");
    }

    private static int[] merge(String path, String line, int lineNo, int index) {
        var m = MERGE_LINE.matcher(line);
        if (!m.matches()) {
            throw new DataException(path + ": malformed line " + lineNo + ": expected two token ids 'LEFT RIGHT', found '"
                    + abbreviate(line) + "'");
        }
        int[] ids = {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
        for (int id : ids) {
            if (id >= BpeTokenizer.BYTE_TOKENS + index) {
                throw new DataException(path + ": line " + lineNo + ": merge " + index + " refers to token " + id
                        + ", but only tokens 0.." + (BpeTokenizer.BYTE_TOKENS + index - 1) + " exist before it");
            }
        }
        return ids;
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    private static byte[] sha256(byte[] bytes, int length) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(bytes, 0, length);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
