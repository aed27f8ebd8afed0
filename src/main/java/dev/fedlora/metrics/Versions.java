package dev.fedlora.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/** Versions of the pieces that decide a run's numbers, for the run manifest. */
public final class Versions {
    private Versions() {}

    public static Map<String, String> all() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("fedlora", orUnknown(Versions.class.getPackage().getImplementationVersion()));
        v.put("spark", org.apache.spark.package$.MODULE$.SPARK_VERSION());
        v.put("nd4j", orUnknown(org.nd4j.linalg.factory.Nd4j.class.getPackage().getImplementationVersion()));
        v.put("java", System.getProperty("java.version"));
        return v;
    }

    private static String orUnknown(String s) {
        return s == null ? "unknown" : s;
    }
}
