package dev.fedlora.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.SparkTestSession;
import dev.fedlora.config.ConfigLoader;
import dev.fedlora.config.ExperimentConfig;
import dev.fedlora.data.text.BpeTokenizer;
import dev.fedlora.data.text.BrownCorpus;
import dev.fedlora.data.text.TextFixtures;
import dev.fedlora.metrics.MetricsRow;
import dev.fedlora.model.transformer.TransformerBase;
import dev.fedlora.model.transformer.TransformerBaseFile;
import dev.fedlora.model.transformer.TransformerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every strategy runs unchanged on the transformer: genre classification of a tiny Brown-like
 * corpus with LoRA on q and v, through Spark, with the bytes the layout implies, and the same
 * metrics when run again.
 */
class TransformerEndToEndTest {
    @TempDir
    static Path tmp;
    static String baseFile;
    static BpeTokenizer bpe;

    @BeforeAll
    static void fixtures() throws Exception {
        Path brown = tmp.resolve("brown");
        TextFixtures.writeBrown(brown, 4, 3);
        bpe = TextFixtures.tokenizer(BrownCorpus.load(brown.toString(), -1, new Configuration()), tmp.resolve("bpe.tok"));
        TransformerBase base = TransformerBase.init(new TransformerConfig(bpe.vocabSize(), 16, 16, 2, 1, 32), 9);
        baseFile = tmp.resolve("base.fltm").toString();
        TransformerBaseFile.write(base, baseFile, new Configuration());
    }

    private static List<MetricsRow> run(String strategy, String name, String... extra) throws Exception {
        List<String> overrides = new ArrayList<>(List.of(
                "experiment.name = " + name, "experiment.rounds = 3", "experiment.seed = 4",
                "data.format = brown-genre", "data.text-dir = \"" + tmp.resolve("brown") + "\"",
                "data.tokenizer = \"" + tmp.resolve("bpe.tok") + "\"", "data.sequence-length = 16",
                "model.type = transformer", "model.base = \"" + baseFile + "\"", "lora.alpha = 4",
                "clients.count = 6", "clients.per-round = 3", "clients.partition.dirichlet-alpha = 1",
                "clients.ranks.policy = fixed", "clients.ranks.rank = 2",
                "train.batch-size = 8", "train.learning-rate = 0.05",
                "strategy.name = " + strategy, "engine.tasks-per-round = 2", "eval.partitions = 2",
                "output.dir = \"" + tmp.resolve("runs") + "\""));
        overrides.addAll(List.of(extra));
        ExperimentConfig cfg = ConfigLoader.load("conf/hetero-rank.conf", overrides);
        return ExperimentJob.run(List.of(cfg), true, SparkTestSession::get).get(name);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"zero_pad", "replication_pad", "hetlora", "flexlora", "flora", "ffa_lora", "flasc", "fedprox",
            "fedex_lora", "rolora", "fedsa_lora"})
    void everyStrategyRunsOnTheTransformer(String strategy) throws Exception {
        List<MetricsRow> rows = run(strategy, "tfm-" + strategy);
        assertEquals(4, rows.size(), "rounds 0..3");
        for (MetricsRow r : rows.subList(1, rows.size())) {
            assertEquals(3, r.clients());
            assertTrue(r.localSteps() > 0);
            assertTrue(Double.isFinite(r.meanTrainLoss()) && Double.isFinite(r.testLoss()), strategy + " round " + r.round());
            assertTrue(r.testAccuracy() >= 0 && r.testAccuracy() <= 1);
        }
    }

    @Test
    void bytesAreThoseOfTheLayoutAndARerunGivesTheSameMetrics() throws Exception {
        List<MetricsRow> first = run("fedavg", "tfm-bytes");
        // rank 2 on q and v of the one layer (16 x 16 each): 2 * 4 * (16 + 16) values, plus the head 15 x 16 + 15
        long adapterBytes = 4L * (2 * 2 * (16 + 16) + 15 * 16 + 15);
        assertEquals(3 * adapterBytes, first.get(1).bytesUp());
        assertEquals(3 * adapterBytes, first.get(1).bytesDown());
        List<MetricsRow> again = run("fedavg", "tfm-bytes-again");
        for (int i = 0; i < first.size(); i++) {
            assertEquals(first.get(i).testAccuracy(), again.get(i).testAccuracy(), "round " + i);
            assertEquals(first.get(i).meanTrainLoss(), again.get(i).meanTrainLoss(), "round " + i);
        }
    }

    @Test
    void fastMathReachesTheClientsAndTheEvaluationAndStaysCloseToTheDefault() throws Exception {
        List<MetricsRow> exact = run("fedavg", "tfm-exact");
        List<MetricsRow> fast = run("fedavg", "tfm-fast", "model.fast-math = true");
        assertEquals(exact.size(), fast.size());
        boolean differs = false;
        for (int i = 0; i < exact.size(); i++) {
            MetricsRow e = exact.get(i), f = fast.get(i);
            assertEquals(e.testLoss(), f.testLoss(), 1e-4 * e.testLoss(), "round " + i);
            if (i > 0) {
                assertEquals(e.meanTrainLoss(), f.meanTrainLoss(), 1e-4 * e.meanTrainLoss(), "round " + i);
                differs |= !e.meanTrainLoss().equals(f.meanTrainLoss());
            }
            differs |= !e.testLoss().equals(f.testLoss());
        }
        assertTrue(differs, "model.fast-math = true must change the arithmetic");
    }
}
