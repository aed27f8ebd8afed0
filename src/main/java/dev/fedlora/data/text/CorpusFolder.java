package dev.fedlora.data.text;

import dev.fedlora.data.DataException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/** A corpus folder read through the Hadoop FileSystem API; every failure names the file. */
final class CorpusFolder {
    private final String corpus;
    private final Path dir;
    private final FileSystem fs;

    private CorpusFolder(String corpus, Path dir, FileSystem fs) {
        this.corpus = corpus;
        this.dir = dir;
        this.fs = fs;
    }

    /**
     * @param corpus the corpus's name in messages ("Brown corpus")
     * @throws DataException if the folder does not exist or is a file
     */
    static CorpusFolder open(String corpus, String dir, Configuration conf) {
        Path path = new Path(dir);
        try {
            FileSystem fs = path.getFileSystem(conf);
            FileStatus status;
            try {
                status = fs.getFileStatus(path);
            } catch (FileNotFoundException e) {
                throw new DataException(corpus + " folder not found: " + dir + " — run jobs/fetch-data.sh", e);
            }
            if (!status.isDirectory()) throw new DataException(corpus + ": " + dir + " is a file, expected a folder");
            // The local file system's checksum layer looks for a .crc file beside every file it opens;
            // the corpora have none, and skipping the look-ups makes loading thousands of files faster.
            return new CorpusFolder(corpus, path, fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs);
        } catch (IOException e) {
            throw new DataException("cannot read " + corpus + " folder " + dir + ": " + e.getMessage(), e);
        }
    }

    String corpus() {
        return corpus;
    }

    Path path() {
        return dir;
    }

    /** The files (not folders) directly in this folder, sorted by name. */
    List<Path> files() {
        return entries(dir, false);
    }

    /** The folders directly in this folder, sorted by name. */
    List<Path> folders() {
        return entries(dir, true);
    }

    /** The files directly in {@code folder}, sorted by name. */
    List<Path> filesIn(Path folder) {
        return entries(folder, false);
    }

    private List<Path> entries(Path folder, boolean folders) {
        FileStatus[] listed;
        try {
            listed = fs.listStatus(folder);
        } catch (IOException e) {
            throw new DataException("cannot list " + corpus + " folder " + folder + ": " + e.getMessage(), e);
        }
        Arrays.sort(listed, Comparator.comparing(s -> s.getPath().getName()));
        List<Path> out = new ArrayList<>();
        for (FileStatus s : listed) {
            if (s.isDirectory() == folders) out.add(s.getPath());
        }
        return out;
    }

    /** The file's bytes; fails if it cannot be read or is empty. */
    byte[] read(Path file) {
        byte[] bytes;
        try (InputStream in = fs.open(file)) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new DataException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (bytes.length == 0) throw new DataException(file + ": empty file (0 bytes)");
        return bytes;
    }

    /** The file as UTF-8 text; fails if a byte sequence is not valid UTF-8. */
    String readUtf8(Path file) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(read(file)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new DataException(file + ": not valid UTF-8 text (" + e + ")", e);
        }
    }

    /** The file as UTF-8 text, each malformed byte sequence replaced by U+FFFD. */
    String readUtf8Lenient(Path file) {
        return new String(read(file), StandardCharsets.UTF_8);
    }

    /** Fails unless {@code found} documents were found where {@code expected} were (negative: any number). */
    void checkCount(int expected, int found, String what) {
        if (found == 0) throw new DataException(dir + ": no " + what + " in this " + corpus + " folder");
        if (expected >= 0 && found != expected) {
            throw new DataException(dir + ": expected " + expected + " " + what + ", found " + found
                    + " — an incomplete copy? run jobs/fetch-data.sh");
        }
    }
}
