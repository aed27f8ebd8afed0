package dev.fedlora.bench;

import dev.fedlora.config.ConfigLoader;
import dev.fedlora.config.ExperimentConfig;
import dev.fedlora.data.text.TokenExamples;
import dev.fedlora.engine.ExperimentInputs;
import dev.fedlora.engine.FederatedRun;
import dev.fedlora.engine.LocalBackend;
import dev.fedlora.engine.SparkBackend;
import dev.fedlora.metrics.MetricsRow;
import dev.fedlora.model.AdaptableModel;
import dev.fedlora.model.AdapterLayout;
import dev.fedlora.runtime.Nd4jRuntime;
import dev.fedlora.runtime.SparkSessions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The benchmark job: runs the round loop of a named workload for each client count and prints
 * client steps per second, the share of round time outside local training, driver heap peak and
 * bytes per round; and, in the same JVM, the same client loop without Spark (on a
 * {@link LocalBackend}) and ND4J's sgemm rate on a large square product and on the model's own
 * products, so every figure is also a ratio; then the transformer's local-training throughput on a
 * random-init base ({@link TransformerThroughput}).
 * Appends one CSV row per client count, and one transformer row to its own CSV.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = StateStoreBench.class,
        description = "Measure round-loop throughput and overheads for a workload (see conf/bench.conf);"
                + " `bench state`: the cost of client state.")
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--config", defaultValue = "conf/bench.conf", description = "Workload config (default: ${DEFAULT-VALUE}).")
    String config;

    @Option(names = "--clients", split = ",", defaultValue = "1000,1000000",
            description = "Client counts N to run (default: ${DEFAULT-VALUE}).")
    int[] clientCounts;

    @Option(names = "--warmup-rounds", defaultValue = "20",
            description = "Rounds run before the measured ones (default: ${DEFAULT-VALUE}): the JIT and Spark's scheduler"
                    + " take tens of rounds to warm up, and a real run spends nearly all its rounds warm.") int warmup;
    @Option(names = "--rounds", defaultValue = "10", description = "Measured rounds per client count (default: ${DEFAULT-VALUE}).")
    int rounds;
    @Option(names = "--csv", defaultValue = "results/bench/bench.csv") String csv;
    @Option(names = "--label", defaultValue = "${env:FEDLORA_COMMIT:-unknown}", description = "Commit or label for the CSV.")
    String label;

    @Option(names = "--transformer-steps", defaultValue = "40",
            description = "Timed local steps of the transformer throughput check (random-init base); 0 skips it (default: ${DEFAULT-VALUE}).")
    int transformerSteps;

    @Option(names = "--transformer-csv", defaultValue = "results/bench/bench-transformer.csv") String transformerCsv;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Config overrides for the workload.")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        SparkSession spark = SparkSessions.fromSubmit();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        String master = spark.sparkContext().master();
        int parallelism = jsc.defaultParallelism();
        Gemm gemm = null;
        for (int n : clientCounts) {
            List<String> o = new ArrayList<>(overrides);
            o.add("clients.count = " + n);
            o.add("eval.every = 1000000");
            o.add("output.checkpoint-every = 0");
            ExperimentConfig cfg = ConfigLoader.load(config, with(o, "experiment.rounds = " + (warmup + rounds + 1)));
            ExperimentInputs inputs = ExperimentInputs.load(cfg, new Configuration());
            if (gemm == null) gemm = measureGemm(inputs.model(), cfg);
            resetHeapPeaks();
            List<MetricsRow> rows = new FederatedRun(cfg, inputs).run(new SparkBackend(jsc), null, List.of(), null);
            long heapPeak = heapPeakBytes();
            // Rounds after the warm-up, excluding the last one (it also evaluates the model).
            List<MetricsRow> measured = rows.subList(warmup + 1, warmup + 1 + rounds);
            ExperimentConfig plainCfg = ConfigLoader.load(config, with(o, "experiment.rounds = " + (PLAIN_ROUNDS + 2)));
            double plain = plainLoop(plainCfg, inputs, 1).trainStepsPerSec();
            Plain plainParallel = plainLoop(plainCfg, inputs, parallelism);
            Map<String, Object> r = summarize(cfg, inputs.model(), measured, parallelism, plain, gemm, heapPeak);
            double plainAllCores = parallelism * plainParallel.trainStepsPerSec();
            r.put("plain_steps_per_sec_all_cores", plainAllCores);
            r.put("spark_vs_plain_all_cores", (double) r.get("steps_per_sec") / plainAllCores);
            r.put("plain_round_steps_per_sec", plainParallel.medianRoundStepsPerSec());
            r.put("spark_vs_plain_rounds", (double) r.get("steps_per_sec_median_round") / plainParallel.medianRoundStepsPerSec());
            r.put("master", master);
            r.put("model", inputs.model().type());
            // a step on token sequences reads batch x sequence-length tokens
            r.put("tokens_per_sec", inputs.train() instanceof TokenExamples t
                    ? (double) r.get("steps_per_sec") * cfg.train().batchSize() * t.sequenceLength() : "");
            print(r);
            appendCsv(csv, r);
        }
        if (transformerSteps > 0) {
            Nd4jRuntime.setThreads(1);
            double sgemm = gemm == null ? GemmBench.square(1024, 3) : gemm.square1();
            for (boolean fastMath : new boolean[] {false, true}) {
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("date", Instant.now().toString());
                t.put("label", label);
                t.putAll(TransformerThroughput.measure(TransformerThroughput.DEFAULT_SHAPE, 16, 16, 10, transformerSteps,
                        fastMath));
                t.put("sgemm_1024_gflops_1t", sgemm / 1e9);
                t.put("transformer_vs_sgemm_1024", (double) t.get("transformer_gflops_1t") * 1e9 / sgemm);
                t.put("transformer_math", fastMath ? "fast" : "double");
                System.out.println();
                System.out.println("== bench: transformer local training, one thread, model.fast-math = " + fastMath + " ==");
                for (Map.Entry<String, Object> e : t.entrySet()) {
                    Object v = e.getValue();
                    System.out.printf("  %-30s %s%n", e.getKey(), v instanceof Double d ? String.format("%.4g", d) : v);
                }
                appendCsv(transformerCsv, t);
            }
        }
        return 0;
    }

    /**
     * sgemm rates with one ND4J thread, the way tasks run it. (ND4J's OpenBLAS takes its thread
     * count from OMP_NUM_THREADS at start-up, which the job scripts set to 1.)
     */
    record Gemm(double square1, double model1, double kernelModel1) {}

    private static Gemm measureGemm(AdaptableModel model, ExperimentConfig cfg) {
        int rank = cfg.clients().ranks().maxRank();
        Nd4jRuntime.setThreads(1);
        double one = GemmBench.square(1024, 3);
        List<int[]> shapes = model.stepProducts(rank, cfg.train().batchSize());
        double products = GemmBench.products(shapes, 5);
        return new Gemm(one, products, GemmBench.kernelProducts(shapes, 5));
    }

    /** Measured rounds of the plain loop, after one warm-up round and before the last (it evaluates). */
    private static final int PLAIN_ROUNDS = 4;

    /**
     * The plain loop's figures: {@code trainStepsPerSec}, one thread's local steps over its time inside
     * local training (summed over the threads); {@code medianRoundStepsPerSec}, the steps of its round
     * of median duration over that round's wall time, bookkeeping and fold included, like the Spark
     * rounds' {@code steps_per_sec_median_round}.
     */
    record Plain(double trainStepsPerSec, double medianRoundStepsPerSec) {}

    /**
     * The workload without Spark: rounds 2 to {@link #PLAIN_ROUNDS} + 1 of the same client loop on a
     * {@link LocalBackend} with {@code threads} threads (one ND4J thread each), after round 1 as warm-up.
     */
    private static Plain plainLoop(ExperimentConfig cfg, ExperimentInputs inputs, int threads) throws Exception {
        try (LocalBackend local = new LocalBackend(threads)) {
            List<MetricsRow> rows = new FederatedRun(cfg, inputs).run(local, null, List.of(), null);
            List<MetricsRow> measured = rows.subList(2, 2 + PLAIN_ROUNDS);
            long steps = 0;
            double train = 0;
            for (MetricsRow m : measured) {
                steps += m.localSteps();
                train += m.clientTrainSeconds();
            }
            MetricsRow median = medianRound(measured);
            return new Plain(steps / train, median.localSteps() / median.roundSeconds());
        }
    }

    private static List<String> with(List<String> overrides, String more) {
        List<String> all = new ArrayList<>(overrides);
        all.add(more);
        return all;
    }

    private Map<String, Object> summarize(ExperimentConfig cfg, AdaptableModel model, List<MetricsRow> measured,
                                          int parallelism,
                                          double plainStepsPerSec, Gemm gemm, long heapPeak) {
        double seconds = 0;
        double train = 0;
        long steps = 0;
        long bytes = 0;
        MetricsRow median = medianRound(measured);
        for (MetricsRow m : measured) {
            seconds += m.roundSeconds();
            train += m.clientTrainSeconds();
            steps += m.localSteps();
            bytes += m.bytesDown() + m.bytesUp();
        }
        int slots = Math.min(parallelism, cfg.run().tasksPerRound());
        double stepsPerSec = steps / seconds;
        double flopsPerStep = GemmBench.flopsOf(model.stepProducts(cfg.clients().ranks().maxRank(),
                cfg.train().batchSize()));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("date", Instant.now().toString());
        r.put("label", label);
        r.put("cores", parallelism);
        r.put("clients", cfg.clients().count());
        r.put("per_round", cfg.clients().perRound());
        r.put("rank", cfg.clients().ranks().maxRank());
        r.put("batch", cfg.train().batchSize());
        r.put("epochs", cfg.train().epochs());
        r.put("tasks_per_round", cfg.run().tasksPerRound());
        r.put("steps_per_round", steps / measured.size());
        r.put("round_seconds", seconds / measured.size());
        r.put("steps_per_sec", stepsPerSec);
        r.put("round_seconds_median", median.roundSeconds());
        r.put("steps_per_sec_median_round", median.localSteps() / median.roundSeconds());
        r.put("spark_overhead_share", 1 - train / (seconds * slots));
        r.put("plain_steps_per_sec", plainStepsPerSec);
        r.put("spark_vs_plain_per_core", stepsPerSec / (plainStepsPerSec * slots));
        r.put("train_gflops_per_core", plainStepsPerSec * flopsPerStep / 1e9);
        r.put("sgemm_model_gflops_1t", gemm.model1() / 1e9);
        r.put("train_vs_sgemm_model", plainStepsPerSec * flopsPerStep / gemm.model1());
        r.put("sgemm_model_kernel_gflops_1t", gemm.kernelModel1() / 1e9);
        r.put("sgemm_1024_gflops_1t", gemm.square1() / 1e9);
        r.put("train_vs_sgemm_1024", plainStepsPerSec * flopsPerStep / gemm.square1());
        r.put("driver_heap_peak_mb", heapPeak / 1e6);
        r.put("driver_heap_max_mb", Runtime.getRuntime().maxMemory() / 1e6);
        r.put("mb_per_round", bytes / 1e6 / measured.size());
        return r;
    }

    /**
     * The measured round of median duration (the upper one of an even count), the round the peer's
     * {@code steps_per_s_round} also takes: one slow round of a noisy host does not move it.
     */
    static MetricsRow medianRound(List<MetricsRow> measured) {
        List<MetricsRow> sorted = new ArrayList<>(measured);
        sorted.sort(Comparator.comparingDouble(MetricsRow::roundSeconds));
        return sorted.get(sorted.size() / 2);
    }

    private static void resetHeapPeaks() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) pool.resetPeakUsage();
        }
    }

    private static long heapPeakBytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) sum += pool.getPeakUsage().getUsed();
        }
        return sum;
    }

    private static void print(Map<String, Object> r) {
        System.out.println();
        System.out.printf("== bench: N = %s, m = %s, rank %s, batch %s, %s ==%n", r.get("clients"), r.get("per_round"),
                r.get("rank"), r.get("batch"), r.get("master"));
        for (Map.Entry<String, Object> e : r.entrySet()) {
            Object v = e.getValue();
            System.out.printf("  %-26s %s%n", e.getKey(), v instanceof Double d ? String.format("%.4g", d) : v);
        }
    }

    /**
     * Appends one row. When the file's columns differ from the row's (a benchmark gained a figure),
     * the file is rewritten with the row's columns followed by any old ones, every old row moved
     * under its own column names (blank where a row has no value), so no value ever sits under
     * another column's name.
     * @throws IOException for a row of the file whose field count does not match its header
     */
    static void appendCsv(String csv, Map<String, Object> r) throws IOException {
        Path path = Path.of(csv);
        if (path.getParent() != null) Files.createDirectories(path.getParent());
        List<String> values = new ArrayList<>();
        for (Object v : r.values()) values.add(v instanceof Double d ? String.format("%.6g", d) : String.valueOf(v));
        List<String> keys = new ArrayList<>(r.keySet());
        List<String> lines = Files.exists(path) ? Files.readAllLines(path, StandardCharsets.UTF_8) : List.of();
        if (lines.isEmpty()) {
            Files.writeString(path, String.join(",", keys) + "\n" + String.join(",", values) + "\n", StandardCharsets.UTF_8);
            return;
        }
        List<String> old = List.of(lines.get(0).split(",", -1));
        if (old.equals(keys)) {
            Files.writeString(path, String.join(",", values) + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            return;
        }
        List<String> columns = new ArrayList<>(keys);
        for (String k : old) if (!columns.contains(k)) columns.add(k);
        List<String> out = new ArrayList<>();
        out.add(String.join(",", columns));
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isEmpty()) continue;
            String[] fields = lines.get(i).split(",", -1);
            if (fields.length != old.size()) {
                throw new IOException(csv + " line " + (i + 1) + " has " + fields.length + " fields but its header "
                        + old.size() + "; fix or move the file before appending");
            }
            Map<String, String> byName = new LinkedHashMap<>();
            for (int j = 0; j < fields.length; j++) byName.put(old.get(j), fields[j]);
            List<String> row = new ArrayList<>();
            for (String c : columns) row.add(byName.getOrDefault(c, ""));
            out.add(String.join(",", row));
        }
        Map<String, String> fresh = new LinkedHashMap<>();
        for (int j = 0; j < keys.size(); j++) fresh.put(keys.get(j), values.get(j));
        List<String> row = new ArrayList<>();
        for (String c : columns) row.add(fresh.getOrDefault(c, ""));
        out.add(String.join(",", row));
        Files.write(path, out, StandardCharsets.UTF_8);
    }
}
