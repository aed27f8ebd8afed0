package dev.fedlora.engine;

import dev.fedlora.comm.Payload;
import dev.fedlora.config.ConfigError;
import dev.fedlora.config.ConfigLoader;
import dev.fedlora.config.ExperimentConfig;
import dev.fedlora.data.ClientShards;
import dev.fedlora.metrics.NpyReader;
import dev.fedlora.model.Adapter;
import dev.fedlora.model.LoraTarget;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Byun &amp; Lee's round-1 diagnostic: what one aggregation does to a client's own model. For each
 * strategy it runs round 1 of the config (same seed, so the same cohort, downloads and local
 * training), keeps every sampled client's upload and the aggregated global adapter, and scores both
 * on the client's held-out split ({@code eval.client-holdout} of its shard): "before" is the
 * client's locally trained adapter, "after" the global model the strategy made of everyone's. The
 * paper's finding: a high-quality client at the high rank falls from 84.34% to 38.95% after
 * zero-padding, and keeps 82.11% after replication padding. Only strategies whose uploads are whole
 * adapters (the padding family, hetlora, flexlora, flora) can be diagnosed.
 */
public final class RoundOneDiagnostic {
    /** One sampled client: its quality group, rank, accuracy before aggregation and after, per strategy. */
    public record ClientRow(int client, boolean highQuality, int rank, double before, Map<String, Double> after) {}

    private RoundOneDiagnostic() {}

    /**
     * @param overrides the config's overrides; the diagnostic adds its own (round 1 only, the dumps,
     *     a held-out split, its own experiment names)
     * @throws ConfigError for a strategy whose uploads are not whole adapters
     */
    public static List<ClientRow> run(String configFile, List<String> overrides, List<String> strategies,
                                      ExperimentJob.SparkSessionFactory sessions) throws Exception {
        Map<Integer, ClientRow> rows = new TreeMap<>();
        Configuration conf = new Configuration();
        for (String strategy : strategies) {
            ExperimentConfig plain = ConfigLoader.load(configFile, overrides);
            List<String> own = new ArrayList<>(overrides);
            own.addAll(List.of("strategy.name = " + strategy, "experiment.rounds = 1",
                    "experiment.name = \"" + plain.name() + "-round1-" + strategy + "\"",
                    "output.save-client-updates = true", "output.save-adapters = true",
                    "eval.clients = " + plain.clients().perRound()));
            ExperimentConfig cfg = ConfigLoader.load(configFile, own);
            ExperimentJob.run(List.of(cfg), true, sessions);
            ExperimentInputs inputs = ExperimentInputs.load(cfg, conf);
            ShardSpec spec = ShardSpec.of(cfg);
            ClientShards shards = spec.shardsOf(inputs.train());
            String dir = cfg.run().outputDir() + "/" + cfg.name();
            Adapter global = read(new Adapter(inputs.layout(), cfg.clients().ranks().maxRank()), dir + "/adapters/round-0001", conf);
            for (int client : clientsIn(dir + "/updates/round-0001", conf)) {
                String prefix = String.format("%s/updates/round-0001/client-%07d", dir, client);
                LoraTarget first = inputs.layout().targets().get(0);
                Path a = new Path(prefix + "-" + first.name() + ".lora_A.npy");
                if (!a.getFileSystem(conf).exists(a)) {
                    throw new ConfigError("strategy.name = " + strategy + " does not upload whole adapters (no " + a
                            + "): the round-1 diagnostic needs zero_pad, replication_pad, hetlora, flexlora or flora");
                }
                int rank = NpyReader.read(a.toString(), conf).shape()[0];
                Adapter trained = read(new Adapter(inputs.layout(), rank), prefix, conf);
                int[] held = spec.validationPart(shards, client);
                double before = accuracy(inputs, cfg, trained, held);
                double after = accuracy(inputs, cfg, global, held);
                ClientRow row = rows.computeIfAbsent(client,
                        c -> new ClientRow(c, shards.isHighQuality(c), rank, before, new LinkedHashMap<>()));
                if (row.before() != before || row.rank() != rank) {
                    throw new IllegalStateException("client " + client + " trained differently under " + strategy
                            + " (accuracy " + before + " vs " + row.before() + "): round 1 must not depend on the strategy");
                }
                row.after().put(strategy, after);
            }
        }
        return new ArrayList<>(rows.values());
    }

    private static double accuracy(ExperimentInputs inputs, ExperimentConfig cfg, Adapter adapter, int[] held) {
        double[] r = Evaluator.evaluateExamples(inputs.model(), cfg.loraScale(), adapter, inputs.train(), held);
        return r[1] / r[2];
    }

    /** {@code into} filled from {@code PREFIX-<tensor>.npy}, one file per tensor. */
    private static Adapter read(Adapter into, String prefix, Configuration conf) throws IOException {
        for (Map.Entry<String, Payload.Tensor> t : into.tensors().entrySet()) {
            float[] values = NpyReader.read(prefix + "-" + t.getKey() + ".npy", conf).values();
            float[] dst = t.getValue().values();
            if (values.length != dst.length) {
                throw new IOException(prefix + "-" + t.getKey() + ".npy holds " + values.length + " values, expected " + dst.length);
            }
            System.arraycopy(values, 0, dst, 0, dst.length);
        }
        return into;
    }

    private static List<Integer> clientsIn(String dir, Configuration conf) throws IOException {
        Path p = new Path(dir);
        FileSystem fs = p.getFileSystem(conf);
        java.util.TreeSet<Integer> ids = new java.util.TreeSet<>();
        for (FileStatus f : fs.listStatus(p)) {
            String name = f.getPath().getName();
            if (name.startsWith("client-")) ids.add(Integer.parseInt(name.substring(7, 14)));
        }
        return new ArrayList<>(ids);
    }

    /** The rows as CSV: client, quality group, rank, accuracy before, then after under each strategy. */
    public static String csv(List<ClientRow> rows, List<String> strategies) {
        StringBuilder b = new StringBuilder("client,group,rank,before");
        for (String s : strategies) b.append(",after_").append(s);
        b.append('\n');
        for (ClientRow r : rows) {
            b.append(r.client()).append(',').append(r.highQuality() ? "high-quality" : "other").append(',').append(r.rank())
                    .append(',').append(String.format(java.util.Locale.ROOT, "%.4f", r.before()));
            for (String s : strategies) b.append(',').append(String.format(java.util.Locale.ROOT, "%.4f", r.after().get(s)));
            b.append('\n');
        }
        return b.toString();
    }
}
