package dev.fedlora.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** Versions of the pieces that decide a run's numbers, for the run manifest. */
public final class Versions {
    private Versions() {}

    /** The build's fedlora, Spark and ND4J versions, the Spark actually running, and Java's. */
    public static Map<String, String> all() {
        Properties build = new Properties();
        try (InputStream in = Versions.class.getClassLoader().getResourceAsStream("build-info.properties")) {
            if (in != null) build.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> v = new LinkedHashMap<>();
        v.put("fedlora", build.getProperty("fedlora", "unknown"));
        v.put("nd4j", build.getProperty("nd4j", "unknown"));
        v.put("sparkBuiltAgainst", build.getProperty("spark", "unknown"));
        v.put("sparkRunning", org.apache.spark.package$.MODULE$.SPARK_VERSION());
        v.put("java", System.getProperty("java.version"));
        return v;
    }
}
