package dev.fedlora.runtime;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** The job's Spark session, as configured by spark-submit. */
public final class SparkSessions {
    private SparkSessions() {}

    /** The session from spark-submit's settings; {@code local[*]} only when no master was given at all. */
    public static SparkSession fromSubmit() {
        SparkConf conf = new SparkConf();
        if (!conf.contains("spark.master")) conf.setMaster("local[*]");
        if (!conf.contains("spark.app.name")) conf.setAppName("fedlora-spark");
        return SparkSession.builder().config(conf).getOrCreate();
    }
}
