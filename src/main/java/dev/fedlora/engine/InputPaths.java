package dev.fedlora.engine;

import dev.fedlora.config.ConfigError;
import dev.fedlora.config.ExperimentConfig;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Checks every path key of a config before anything is read or any Spark work starts, through the
 * Hadoop FileSystem API (so local, {@code hdfs://} and {@code s3a://} paths alike): {@code model.base}
 * and each {@code data.*} file must exist, be a file and be readable; {@code output.dir} must be a
 * writable directory, or not exist yet under a writable directory. Each failure is a
 * {@link ConfigError} naming the key and the path.
 */
public final class InputPaths {
    private InputPaths() {}

    /** @throws ConfigError naming the first key whose path is unusable */
    public static void check(ExperimentConfig cfg, Configuration conf) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("model.base", cfg.model().base());
        files.put("data.train-images", cfg.data().trainImages());
        files.put("data.train-labels", cfg.data().trainLabels());
        files.put("data.test-images", cfg.data().testImages());
        files.put("data.test-labels", cfg.data().testLabels());
        for (Map.Entry<String, String> f : files.entrySet()) readableFile(f.getKey(), f.getValue(), conf);
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
        Path p = new Path(path);
        FileStatus status = statusOrNull(key, p, conf);
        if (status == null) throw new ConfigError(key + " = " + path + ": no such file");
        if (status.isDirectory()) throw new ConfigError(key + " = " + path + ": is a directory, expected a file");
        try (InputStream in = p.getFileSystem(conf).open(p)) {
            in.read();
        } catch (IOException e) {
            throw new ConfigError(key + " = " + path + ": not readable (" + e.getMessage() + ")", e);
        }
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
