package dev.fedlora.engine;

import dev.fedlora.config.ConfigError;
import dev.fedlora.config.ExperimentConfig;
import dev.fedlora.data.registry.DataFormats;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Checks every path key of a config before anything is read or any Spark work starts, through the
 * Hadoop FileSystem API (so local, {@code hdfs://} and {@code s3a://} paths alike): {@code model.base}
 * and each file the selected {@code data.format} reads must exist, be a file and be readable, each
 * folder it reads ({@code data.text-dir}) exist, be a directory and be listable (the path keys of
 * the other formats are not checked); {@code output.dir} must be a
 * writable directory, or not exist yet under a writable directory. Each failure is a
 * {@link ConfigError} naming the key and the path.
 */
public final class InputPaths {
    private InputPaths() {}

    /** @throws ConfigError naming the first key whose path is unusable */
    public static void check(ExperimentConfig cfg, Configuration conf) {
        readableFile("model.base", cfg.model().base(), conf);
        Map<String, String> files = cfg.data().files();
        for (DataFormats.PathKey k : DataFormats.pathKeys(cfg.data().format())) {
            String key = "data." + k.key();
            String path = files.get(k.key());
            if (k.folder()) {
                readableDirectory(key, path, k.whenMissing(), conf);
            } else {
                readableFile(key, path, k.whenMissing(), conf);
            }
        }
        writableDirectory("output.dir", cfg.run().outputDir(), conf);
        Path runDir = new Path(cfg.run().outputDir(), cfg.name());
        FileStatus run = statusOrNull("output.dir", runDir, conf);
        if (run != null && !run.isDirectory()) {
            throw new ConfigError("output.dir = " + cfg.run().outputDir() + ": the run folder " + runDir
                    + " (experiment.name = " + cfg.name() + ") is a file, expected a directory");
        }
    }

    /** {@code key = path} names an existing file that can be opened and read. */
    static void readableFile(String key, String path, Configuration conf) {
        readableFile(key, path, null, conf);
    }

    /** The same, saying {@code whenMissing} (how to make the file) when there is none. */
    static void readableFile(String key, String path, String whenMissing, Configuration conf) {
        Path p = new Path(path);
        FileStatus status = statusOrNull(key, p, conf);
        if (status == null) throw new ConfigError(key + " = " + path + ": no such file" + hint(whenMissing));
        if (status.isDirectory()) throw new ConfigError(key + " = " + path + ": is a directory, expected a file");
        try (InputStream in = p.getFileSystem(conf).open(p)) {
            in.read();
        } catch (IOException e) {
            throw new ConfigError(key + " = " + path + ": not readable (" + e.getMessage() + ")", e);
        }
    }

    /**
     * {@code key = path} names an existing directory that can be listed; {@code whenMissing} says
     * how to make it when there is none.
     */
    static void readableDirectory(String key, String path, String whenMissing, Configuration conf) {
        Path p = new Path(path);
        FileStatus status = statusOrNull(key, p, conf);
        if (status == null) throw new ConfigError(key + " = " + path + ": no such directory" + hint(whenMissing));
        if (!status.isDirectory()) throw new ConfigError(key + " = " + path + ": is a file, expected a directory");
        try {
            p.getFileSystem(conf).listStatus(p);
        } catch (IOException e) {
            throw new ConfigError(key + " = " + path + ": not readable (" + e.getMessage() + ")", e);
        }
    }

    private static String hint(String whenMissing) {
        return whenMissing == null ? "" : " — " + whenMissing;
    }

    /**
     * {@code key = path} is a directory this process can create files in, or does not exist yet and
     * its nearest existing ancestor is such a directory. Writability is probed by creating and
     * deleting a file, which also catches read-only mounts; nothing else is created.
     */
    static void writableDirectory(String key, String path, Configuration conf) {
        Path p = qualified(key, new Path(path), conf);
        Path existing = p;
        FileStatus status = statusOrNull(key, existing, conf);
        while (status == null && existing.getParent() != null) {
            existing = existing.getParent();
            status = statusOrNull(key, existing, conf);
        }
        if (status == null) throw new ConfigError(key + " = " + path + ": no part of the path exists");
        if (!status.isDirectory()) {
            throw new ConfigError(key + " = " + path + ": " + (existing.equals(p) ? "is a file"
                    : existing + " is a file") + ", expected a directory");
        }
        Path probe = new Path(existing, "._fedlora-write-probe-" + ProcessHandle.current().pid());
        try {
            FileSystem fs = existing.getFileSystem(conf);
            fs.create(probe, true).close();
            fs.delete(probe, false);
        } catch (IOException e) {
            throw new ConfigError(key + " = " + path + ": " + existing + " is not writable (" + e.getMessage() + ")", e);
        }
    }

    private static Path qualified(String key, Path p, Configuration conf) {
        try {
            return p.getFileSystem(conf).makeQualified(p);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigError(key + " = " + p + ": not a usable path (" + e.getMessage() + ")", e);
        }
    }

    private static FileStatus statusOrNull(String key, Path p, Configuration conf) {
        try {
            return p.getFileSystem(conf).getFileStatus(p);
        } catch (FileNotFoundException e) {
            return null;
        } catch (IOException e) {
            throw new ConfigError(key + " = " + p + ": cannot be read (" + e.getMessage() + ")", e);
        } catch (IllegalArgumentException e) {
            throw new ConfigError(key + " = " + p + ": not a valid path (" + e.getMessage() + ")", e);
        }
    }
}
