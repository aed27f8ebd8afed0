package dev.fedlora.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.fedlora.config.ConfigError;
import dev.fedlora.config.ExperimentConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Writes a run's output folder {@code <output.dir>/<experiment.name>} (which the report reads back
 * with {@code report.RunFolderReader}), through the Hadoop FileSystem API:
 * {@code config.conf} (the resolved config), {@code manifest.json} (config hash, replicate key, seed, versions),
 * {@code metrics.parquet/} and {@code metrics.csv/} (Spark SQL writers), optional {@code adapters/},
 * and {@code _SUCCESS}, written last: a folder without it is not a finished run. The run's
 * {@link RunLock} file is taken before this class looks at the folder, and clearing the folder
 * leaves it in place.
 */
public final class RunFolderWriter {
    public static final String SUCCESS = "_SUCCESS";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What {@link #prepare} found. */
    public enum State { FRESH, UNFINISHED, ALREADY_COMPLETE }

    private final ExperimentConfig config;
    private final Path dir;
    private final FileSystem fs;
    private final Configuration conf;

    public RunFolderWriter(ExperimentConfig config, Configuration conf) throws IOException {
        this.config = config;
        this.conf = conf;
        this.dir = new Path(config.run().outputDir(), config.name());
        this.fs = dir.getFileSystem(conf);
    }

    public String dir() {
        return dir.toString();
    }

    /**
     * Looks at the folder before a run. A finished run of the same config is
     * {@link State#ALREADY_COMPLETE}; an unfinished one of the same config is
     * {@link State#UNFINISHED} (resume it, or {@link #startFresh()}); anything else of another
     * config is refused unless {@code force}. Changes nothing.
     * @throws ConfigError if the folder holds another config's results and force is off
     */
    public State inspect(boolean force) throws IOException {
        if (force || !fs.exists(dir)) return State.FRESH;
        String existing = existingHash();
        boolean finished = fs.exists(new Path(dir, SUCCESS));
        if (config.hash().equals(existing)) return finished ? State.ALREADY_COMPLETE : State.UNFINISHED;
        if (existing == null && !finished && isEmpty()) return State.FRESH;
        throw new ConfigError("output folder " + dir + " holds " + (finished ? "the finished" : "unfinished")
                + " results of another config (hash " + existing + ", this config " + config.hash()
                + "); set another experiment.name or output.dir, or pass --force to replace them");
    }

    private boolean isEmpty() throws IOException {
        return fs.listStatus(dir, p -> !RunLock.isLockFile(p.getName())).length == 0;
    }

    /** Clears the folder (all but the run lock) and writes the resolved config and a "running" manifest. */
    public void startFresh() throws IOException {
        if (fs.exists(dir)) {
            for (FileStatus s : fs.listStatus(dir, p -> !RunLock.isLockFile(p.getName()))) fs.delete(s.getPath(), true);
        }
        fs.mkdirs(dir);
        writeText("config.conf", "# resolved config of experiment " + config.name() + ", hash " + config.hash()
                + "\n" + config.rendered());
        writeManifest("running", null);
    }

    private String existingHash() throws IOException {
        Path manifest = new Path(dir, "manifest.json");
        if (!fs.exists(manifest)) return null;
        try (InputStream in = fs.open(manifest)) {
            Object hash = JSON.readValue(in, Map.class).get("configHash");
            return hash == null ? null : hash.toString();
        } catch (IOException e) {
            return null;
        }
    }

    public void writeManifest(String status, Map<String, Object> results) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("experiment", config.name());
        m.put("status", status);
        m.put("configHash", config.hash());
        m.put("replicateKey", config.replicateKey());
        m.put("seed", config.seed());
        m.put("strategy", config.strategy().name());
        m.put("rounds", config.rounds());
        m.put("versions", Versions.all());
        m.put("writtenAt", Instant.now().toString());
        if (results != null) m.put("results", results);
        writeText("manifest.json", JSON.writeValueAsString(m) + "\n");
    }

    /** Writes the metrics rows with Spark SQL as Parquet and as CSV with a header (one file each). */
    public void writeMetrics(SparkSession spark, List<MetricsRow> rows) {
        List<Row> out = new ArrayList<>(rows.size());
        for (MetricsRow r : rows) {
            out.add(RowFactory.create(r.experiment(), r.strategy(), r.round(), r.testAccuracy(), r.testLoss(),
                    r.meanTrainLoss(), r.clients(), r.rejected(), r.dropped(), r.stragglers(), r.localSteps(), r.bytesDown(), r.bytesUp(),
                    r.cumulativeBytesDown(), r.cumulativeBytesUp(), r.roundSeconds(), r.clientTrainSeconds(),
                    r.clientAccuracyMean(), r.clientAccuracyP10(), r.clientAccuracyP90(), r.clientAccuracyByGroup(),
                    r.personalAccuracyMean(), r.personalAccuracyP10(), r.personalAccuracyP90(), r.epsilon()));
        }
        var df = spark.createDataFrame(out, schema()).coalesce(1);
        df.write().mode(SaveMode.Overwrite).parquet(new Path(dir, "metrics.parquet").toString());
        df.write().mode(SaveMode.Overwrite).option("header", "true").csv(new Path(dir, "metrics.csv").toString());
    }

    static StructType schema() {
        return new StructType()
                .add("experiment", DataTypes.StringType, false)
                .add("strategy", DataTypes.StringType, false)
                .add("round", DataTypes.IntegerType, false)
                .add("test_accuracy", DataTypes.DoubleType, true)
                .add("test_loss", DataTypes.DoubleType, true)
                .add("mean_train_loss", DataTypes.DoubleType, true)
                .add("clients", DataTypes.LongType, false)
                .add("rejected", DataTypes.LongType, false)
                .add("dropped", DataTypes.LongType, false)
                .add("stragglers", DataTypes.LongType, false)
                .add("local_steps", DataTypes.LongType, false)
                .add("bytes_down", DataTypes.LongType, false)
                .add("bytes_up", DataTypes.LongType, false)
                .add("cumulative_bytes_down", DataTypes.LongType, false)
                .add("cumulative_bytes_up", DataTypes.LongType, false)
                .add("round_seconds", DataTypes.DoubleType, false)
                .add("client_train_seconds", DataTypes.DoubleType, false)
                .add("client_accuracy_mean", DataTypes.DoubleType, true)
                .add("client_accuracy_p10", DataTypes.DoubleType, true)
                .add("client_accuracy_p90", DataTypes.DoubleType, true)
                .add("client_accuracy_by_group", DataTypes.StringType, true)
                .add("personal_accuracy_mean", DataTypes.DoubleType, true)
                .add("personal_accuracy_p10", DataTypes.DoubleType, true)
                .add("personal_accuracy_p90", DataTypes.DoubleType, true)
                .add("epsilon", DataTypes.DoubleType, true);
    }

    public String adapterPrefix(int round) {
        return new Path(dir, String.format("adapters/round-%04d", round)).toString();
    }

    public void markSuccess() throws IOException {
        try (OutputStream os = fs.create(new Path(dir, SUCCESS), true)) {
            os.write(new byte[0]);
        }
    }

    private void writeText(String name, String text) throws IOException {
        Path target = new Path(dir, name);
        Path tmp = new Path(dir, "." + name + ".tmp");
        try (OutputStream os = fs.create(tmp, true)) {
            os.write(text.getBytes(StandardCharsets.UTF_8));
        }
        fs.delete(target, false);
        if (!fs.rename(tmp, target)) throw new IOException("cannot rename " + tmp + " to " + target);
    }
}
