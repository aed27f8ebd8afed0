package dev.fedlora.engine;

import dev.fedlora.config.ExperimentConfig;
import dev.fedlora.metrics.AdapterSaver;
import dev.fedlora.metrics.MetricsRow;
import dev.fedlora.metrics.ProgressLog;
import dev.fedlora.metrics.RunLock;
import dev.fedlora.metrics.RunLockedException;
import dev.fedlora.metrics.RunOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Runs a list of experiments in one Spark application. Every config and input is loaded and
 * checked before the Spark session starts, so a bad one costs no cluster time and leaves no output.
 * Then the {@link RunLock} of every run folder is taken, in path order, before any folder is looked
 * at: if another run holds one, the job stops with {@link RunLockedException} having touched none
 * (path order: two overlapping sweeps cannot each hold part of the other's folders). Each lock is
 * released when its folder is done, and all of them on failure.
 */
public final class ExperimentJob {
    private static final Logger LOG = LogManager.getLogger(ExperimentJob.class);

    /** A validated experiment, ready to run. */
    private record Prepared(ExperimentConfig config, ExperimentInputs inputs) {}

    private ExperimentJob() {}

    /**
     * @return metrics rows of each experiment run (skipped, already complete ones are absent)
     * @throws RunLockedException if another live run holds one of the run folders
     */
    public static Map<String, List<MetricsRow>> run(List<ExperimentConfig> configs, boolean force,
                                                   SparkSessionFactory sessions) throws Exception {
        Configuration hadoop = new Configuration();
        List<Prepared> todo = new ArrayList<>();
        for (ExperimentConfig cfg : configs) todo.add(new Prepared(cfg, ExperimentInputs.load(cfg, hadoop)));
        List<RunOutput> outputs = new ArrayList<>();
        for (Prepared p : todo) outputs.add(new RunOutput(p.config(), hadoop));

        Map<String, RunLock> locks = lockAll(todo, outputs, hadoop);
        try {
            Map<String, List<MetricsRow>> results = new LinkedHashMap<>();
            SparkSession spark = null;
            for (int i = 0; i < todo.size(); i++) {
                Prepared p = todo.get(i);
                RunOutput output = outputs.get(i);
                RunLock lock = locks.get(output.dir());
                RunOutput.State state = output.inspect(force);
                if (state == RunOutput.State.ALREADY_COMPLETE) {
                    LOG.info("[{}] already complete in {} with the same config (hash {}): nothing to do;"
                            + " pass --force to run it again", p.config().name(), output.dir(), p.config().hash());
                } else {
                    CheckpointStore checkpoints = new CheckpointStore(output.dir(), p.config().hash(), hadoop);
                    Checkpoint resume = state == RunOutput.State.UNFINISHED ? checkpoints.latest().orElse(null) : null;
                    if (resume == null) output.startFresh();
                    if (spark == null) spark = sessions.get();
                    results.put(p.config().name(), runOne(spark, p, output, hadoop, checkpoints, resume, lock));
                }
                if (!laterUse(outputs, i)) closeAll(List.of(locks.remove(output.dir())));
            }
            return results;
        } finally {
            closeAll(locks.values());
        }
    }

    /** One lock per distinct run folder, taken in path order; none is kept if one cannot be taken. */
    private static Map<String, RunLock> lockAll(List<Prepared> todo, List<RunOutput> outputs, Configuration hadoop)
            throws IOException {
        TreeMap<String, ExperimentConfig> byDir = new TreeMap<>();
        for (int i = 0; i < todo.size(); i++) byDir.putIfAbsent(outputs.get(i).dir(), todo.get(i).config());
        Map<String, RunLock> locks = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, ExperimentConfig> e : byDir.entrySet()) {
                ExperimentConfig cfg = e.getValue();
                RunLock.Settings settings = RunLock.Settings.ofSeconds(cfg.run().lockHeartbeatSeconds(),
                        cfg.run().lockStaleAfterSeconds());
                locks.put(e.getKey(), RunLock.acquire(e.getKey(), cfg.name(), settings, hadoop));
            }
            return locks;
        } catch (IOException | RuntimeException e) {
            closeAll(locks.values());
            throw e;
        }
    }

    private static boolean laterUse(List<RunOutput> outputs, int i) {
        for (int j = i + 1; j < outputs.size(); j++) if (outputs.get(j).dir().equals(outputs.get(i).dir())) return true;
        return false;
    }

    private static void closeAll(Iterable<RunLock> locks) {
        for (RunLock l : locks) {
            try {
                l.close();
            } catch (IOException | RuntimeException e) {
                LOG.warn("cannot release the run lock {}: {}", l.path(), e.toString());
            }
        }
    }

    private static List<MetricsRow> runOne(SparkSession spark, Prepared p, RunOutput output, Configuration hadoop,
                                           CheckpointStore checkpoints, Checkpoint resume, RunLock lock)
            throws Exception {
        ExperimentConfig cfg = p.config();
        LOG.info("[{}] strategy {}, {} clients ({} per round), {} rounds, output {}", cfg.name(),
                cfg.strategy().name(), cfg.clients().count(), cfg.clients().perRound(), cfg.rounds(), output.dir());
        List<RoundListener> listeners = new ArrayList<>();
        // First: a run whose lock was taken over stops before it writes anything more.
        listeners.add((row, global, ranks) -> lock.checkHeld());
        listeners.add(new ProgressLog(cfg.rounds()));
        if (cfg.run().saveAdapters()) listeners.add(new AdapterSaver(output, hadoop));
        if (cfg.run().checkpointEvery() > 0) {
            listeners.add(new CheckpointListener(checkpoints, cfg.run().checkpointEvery(), cfg.rounds(),
                    resume == null ? List.of() : resume.rows()));
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        long start = System.nanoTime();
        List<MetricsRow> rows = new FederatedRun(cfg, p.inputs()).run(jsc, output.dir(), listeners, resume);
        double seconds = (System.nanoTime() - start) / 1e9;
        lock.checkHeld();
        output.writeMetrics(spark, rows);
        MetricsRow last = rows.get(rows.size() - 1);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("finalTestAccuracy", last.testAccuracy());
        summary.put("finalTestLoss", last.testLoss());
        summary.put("cumulativeBytesDown", last.cumulativeBytesDown());
        summary.put("cumulativeBytesUp", last.cumulativeBytesUp());
        summary.put("wallSeconds", seconds);
        lock.checkHeld();
        output.writeManifest("complete", summary);
        output.markSuccess();
        LOG.info("[{}] done in {}s: final test accuracy {}", cfg.name(), String.format("%.1f", seconds),
                last.testAccuracy() == null ? "-" : String.format("%.4f", last.testAccuracy()));
        return rows;
    }

    /** Creates the Spark session on first need. */
    @FunctionalInterface
    public interface SparkSessionFactory {
        SparkSession get();
    }
}
