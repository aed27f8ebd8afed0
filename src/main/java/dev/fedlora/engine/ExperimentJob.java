package dev.fedlora.engine;

import dev.fedlora.checkpoint.Checkpoint;
import dev.fedlora.checkpoint.CheckpointListener;
import dev.fedlora.checkpoint.CheckpointStore;
import dev.fedlora.config.ExperimentConfig;
import dev.fedlora.metrics.AdapterSaver;
import dev.fedlora.metrics.MetricsRow;
import dev.fedlora.metrics.ProgressLog;
import dev.fedlora.metrics.RoundListener;
import dev.fedlora.metrics.RunFolderWriter;
import dev.fedlora.metrics.RunLock;
import dev.fedlora.metrics.RunLockedException;
import dev.fedlora.metrics.SweepProgress;
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
 * (path order: two overlapping sweeps cannot each hold part of the other's folders). Every output
 * folder is then inspected before the Spark session starts. Each lock is released when its folder
 * is done, and all of them on failure. A sweep logs which run of how many is going and its ETA.
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
        List<RunFolderWriter> outputs = new ArrayList<>();
        for (Prepared p : todo) outputs.add(new RunFolderWriter(p.config(), hadoop));

        Map<String, RunLock> locks = lockAll(todo, outputs, hadoop);
        try {
            List<Planned> plan = new ArrayList<>();
            for (int i = 0; i < todo.size(); i++) plan.add(plan(todo.get(i), outputs.get(i), force, hadoop));
            SweepProgress sweep = new SweepProgress(plan.stream().map(Planned::roundsToRun).toList(), System::nanoTime);

            Map<String, List<MetricsRow>> results = new LinkedHashMap<>();
            SparkSession spark = null;
            for (int i = 0; i < plan.size(); i++) {
                Planned run = plan.get(i);
                Prepared p = run.prepared();
                RunLock lock = locks.get(run.output().dir());
                if (run.state() == RunFolderWriter.State.ALREADY_COMPLETE) {
                    sweep.startRun(i, p.config().name(), "already complete, skipped");
                    LOG.info("[{}] already complete in {} with the same config (hash {}): nothing to do;"
                            + " pass --force to run it again", p.config().name(), run.output().dir(), p.config().hash());
                } else {
                    if (run.resume() == null) run.output().startFresh();
                    if (spark == null) spark = sessions.get();
                    sweep.startRun(i, p.config().name(), run.resume() == null ? "starts"
                            : "resumes after round " + run.resume().round());
                    results.put(p.config().name(),
                            runOne(spark, p, run.output(), hadoop, run.checkpoints(), run.resume(), sweep, lock));
                }
                if (!laterUse(outputs, i)) closeAll(List.of(locks.remove(run.output().dir())));
            }
            return results;
        } finally {
            closeAll(locks.values());
        }
    }

    /** One lock per distinct run folder, taken in path order; none is kept if one cannot be taken. */
    private static Map<String, RunLock> lockAll(List<Prepared> todo, List<RunFolderWriter> outputs, Configuration hadoop)
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

    private static boolean laterUse(List<RunFolderWriter> outputs, int i) {
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

    /** What is to be done for one experiment; looks at its output folder but changes nothing. */
    private static Planned plan(Prepared p, RunFolderWriter output, boolean force, Configuration hadoop) throws Exception {
        RunFolderWriter.State state = output.inspect(force);
        CheckpointStore checkpoints = new CheckpointStore(output.dir(), p.config().hash(), hadoop);
        Checkpoint resume = state == RunFolderWriter.State.UNFINISHED ? checkpoints.latest().orElse(null) : null;
        return new Planned(p, output, state, checkpoints, resume);
    }

    /** An experiment with its output folder's state and the checkpoint it resumes from, if any. */
    private record Planned(Prepared prepared, RunFolderWriter output, RunFolderWriter.State state, CheckpointStore checkpoints,
                           Checkpoint resume) {
        int roundsToRun() {
            if (state == RunFolderWriter.State.ALREADY_COMPLETE) return 0;
            return prepared.config().rounds() - (resume == null ? 0 : resume.round());
        }
    }

    private static List<MetricsRow> runOne(SparkSession spark, Prepared p, RunFolderWriter output, Configuration hadoop,
                                           CheckpointStore checkpoints, Checkpoint resume, SweepProgress sweep,
                                           RunLock lock) throws Exception {
        ExperimentConfig cfg = p.config();
        LOG.info("[{}] strategy {}, {} clients ({} per round), {} rounds, output {}", cfg.name(),
                cfg.strategy().name(), cfg.clients().count(), cfg.clients().perRound(), cfg.rounds(), output.dir());
        List<RoundListener> listeners = new ArrayList<>();
        // First: a run whose lock was taken over stops before it writes anything more.
        listeners.add((row, global, ranks) -> lock.checkHeld());
        listeners.add(new ProgressLog(cfg.rounds(), sweep));
        if (cfg.run().saveAdapters()) listeners.add(new AdapterSaver(output, hadoop));
        if (cfg.run().checkpointEvery() > 0) {
            listeners.add(new CheckpointListener(checkpoints, cfg.run().checkpointEvery(), cfg.rounds(),
                    resume == null ? List.of() : resume.rows()));
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        long start = System.nanoTime();
        List<MetricsRow> rows = new FederatedRun(cfg, p.inputs()).run(new SparkBackend(jsc), output.dir(), listeners,
                resume);
        double seconds = (System.nanoTime() - start) / 1e9;
        lock.checkHeld();
        jsc.setJobDescription(cfg.name() + ": write metrics");
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
