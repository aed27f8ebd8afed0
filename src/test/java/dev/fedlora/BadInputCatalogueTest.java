package dev.fedlora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed inputs of every kind: each stops the job with exit code 2 and a message naming the
 * culprit, before any Spark work, and leaves the finished results already in the output folder
 * untouched.
 */
class BadInputCatalogueTest {
    @TempDir
    static Path tmp;
    static Path runs;
    static Path good;
    static Map<String, String> before;

    @BeforeAll
    static void setUp() throws IOException {
        runs = tmp.resolve("runs");
        good = tmp.resolve("good.conf");
        Files.writeString(good, """
                experiment { name = bad-input, rounds = 2 }
                data { train-limit = 2000, test-limit = 500 }
                model.base = "%s"
                clients { count = 10, per-round = 2 }
                output.dir = "%s"
                """.formatted(TestData.smallBaseModel(), runs));
        Path finished = runs.resolve("bad-input");
        Files.createDirectories(finished.resolve("metrics.csv"));
        Files.writeString(finished.resolve("manifest.json"), "{\"configHash\": \"0123\", \"status\": \"complete\"}");
        Files.writeString(finished.resolve("metrics.csv/part-00000.csv"), "experiment,round\nbad-input,0\n");
        Files.writeString(finished.resolve("_SUCCESS"), "");
        before = snapshot();

        Path data = tmp.resolve("data");
        Files.createDirectories(data);
        byte[] images = Files.readAllBytes(Path.of(TestData.FASHION, "t10k-images-idx3-ubyte.gz"));
        Files.write(data.resolve("truncated-images.gz"), Arrays.copyOf(images, images.length / 3));
        byte[] base = Files.readAllBytes(Path.of(TestData.smallBaseModel()));
        Files.write(data.resolve("truncated.flbm"), Arrays.copyOf(base, base.length - 100));
        Files.write(data.resolve("garbage.flbm"), "not a model at all, just text".repeat(10).getBytes());
        Files.writeString(tmp.resolve("broken.conf"), "experiment { name = x\nclients { count = 3 ");
        Files.writeString(tmp.resolve("plain-file"), "not a folder");
        Files.createDirectories(tmp.resolve("runs-with-file"));
        Files.writeString(tmp.resolve("runs-with-file/bad-input"), "a file where the run folder goes");
    }

    static Map<String, String> snapshot() throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(runs)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                files.put(runs.relativize(p).toString(), Arrays.toString(Files.readAllBytes(p)));
            }
        }
        return files;
    }

    static Arguments bad(String culprit, String... args) {
        return Arguments.of(culprit, args);
    }

    static Stream<Arguments> catalogue() {
        String g = good.toString();
        String d = tmp.resolve("data").toString();
        return Stream.of(
                bad("broken.conf", tmp.resolve("broken.conf").toString()),
                bad("missing.conf", tmp.resolve("missing.conf").toString()),
                bad("train.lerning-rate", g, "train.lerning-rate=0.1"),
                bad("clients.count", g, "clients.count=\"many\""),
                bad("experiment.rounds", g, "experiment.rounds=2.5"),
                bad("experiment.rounds", g, "experiment.rounds=-1"),
                bad("clients.per-round", g, "clients.per-round=11"),
                bad("strategy.flasc.download-density", g, "strategy.flasc.download-density=0"),
                bad("strategy.flasc.upload-density", g, "strategy.flasc.upload-density=1.5"),
                bad("train.momentum", g, "train.momentum=1"),
                bad("clients.ranks.rank", g, "clients.ranks.rank=0"),
                bad("clients.ranks.rank", g, "clients.ranks.rank=65"),
                bad("strategy.name", g, "strategy.name=fedsgd"),
                bad("clients.ranks.policy", g, "clients.ranks.policy=random"),
                bad("strategy.name = flasc", g, "strategy.name=flasc", "clients.ranks.policy=quality"),
                bad("clients.ranks.tiers", g, "clients.ranks.policy=tiers",
                        "clients.ranks.tiers=[{rank=2, fraction=0.5}, {rank=4, fraction=0.2}]"),
                bad("nope-images.gz", g, "data.train-images=\"" + d + "/nope-images.gz\""),
                bad("truncated-images.gz", g, "data.test-images=\"" + d + "/truncated-images.gz\""),
                bad("t10k-labels", g, "data.train-images=\"" + TestData.FASHION + "/t10k-labels-idx1-ubyte.gz\""),
                bad("no-base.flbm", g, "model.base=\"" + d + "/no-base.flbm\""),
                bad("truncated.flbm", g, "model.base=\"" + d + "/truncated.flbm\""),
                bad("garbage.flbm", g, "model.base=\"" + d + "/garbage.flbm\""),
                bad("another config", g),
                bad("train", g, "train=5"),
                bad("rounds", g, "rounds"),
                bad("write to " + runs.resolve("bad-input"), g, "train.epochs=2", g),
                bad("--sweep", g, "--sweep", "strategy.name"),
                bad("clients.count", g, "clients.count=5000"),
                bad("faults", g, "faults.nan-fraction=0.7", "faults.dropout-fraction=0.5"),
                bad("output.lock.stale-after-seconds", g, "output.lock.stale-after-seconds=5"),
                bad("strategy.fedprox.mu", g, "strategy.name=fedprox", "strategy.fedprox.mu=-1"),
                bad("strategy.name = fedprox", g, "strategy.name=fedprox", "clients.ranks.policy=tiers",
                        "clients.ranks.tiers=[{rank=2, fraction=0.5}, {rank=4, fraction=0.5}]"),
                bad("--bogus", g, "--bogus"),
                bad("privacy.mechanism", g, "privacy.mechanism=laplace"),
                bad("privacy.clip-norm", g, "privacy.mechanism=gaussian", "privacy.clip-norm=0"),
                bad("privacy.noise-multiplier", g, "privacy.mechanism=gaussian", "privacy.noise-multiplier=-1"),
                bad("privacy.delta", g, "privacy.mechanism=gaussian", "privacy.noise-multiplier=1", "privacy.delta=1"),
                bad("privacy.target-epsilon", g, "privacy.mechanism=gaussian", "privacy.noise-multiplier=1",
                        "privacy.target-epsilon=2"),
                bad("privacy.mechanism = gaussian needs privacy.noise-multiplier", g, "privacy.mechanism=gaussian"),
                bad("privacy.sampling", g, "privacy.sampling=random"),
                bad("privacy.mechanism = gaussian does not work with strategy.name = zero_pad", g,
                        "privacy.mechanism=gaussian", "privacy.noise-multiplier=1"),
                bad("set strategy.flasc.error-feedback = none", g, "strategy.name=flasc", "clients.ranks.policy=fixed",
                        "strategy.flasc.error-feedback=residual", "privacy.mechanism=gaussian", "privacy.noise-multiplier=1"),
                bad("output.dir = " + tmp.resolve("plain-file") + ": is a file", g,
                        "output.dir=\"" + tmp.resolve("plain-file") + "\""),
                bad("output.dir = " + tmp.resolve("plain-file/runs"), g,
                        "output.dir=\"" + tmp.resolve("plain-file/runs") + "\""),
                bad("is a file, expected a directory", g, "output.dir=\"" + tmp.resolve("runs-with-file") + "\""),
                bad("model.base = " + d + ": is a directory", g, "model.base=\"" + d + "\""),
                bad("data.test-labels = " + d + ": is a directory", g, "data.test-labels=\"" + d + "\""),
                bad("data.train-labels = " + d + "/none.gz: no such file", g,
                        "data.train-labels=\"" + d + "/none.gz\""),
                bad("data.text-dir = " + d + "/no-corpus: no such directory — run jobs/fetch-data.sh", g,
                        "data.format=brown-genre", "data.text-dir=\"" + d + "/no-corpus\""),
                bad("data.text-dir = " + d + "/truncated.flbm: is a file, expected a directory", g,
                        "data.format=sotu-lm", "data.text-dir=\"" + d + "/truncated.flbm\""),
                bad("data.tokenizer = " + d + "/none.tok: no such file — the transformer pretraining job"
                        + " jobs/pretrain-transformer.sh writes it", g, "data.format=sotu-lm",
                        "data.text-dir=\"" + d + "\"", "data.tokenizer=\"" + d + "/none.tok\""),
                bad("data.text-dir = " + d + "/no-corpus", g, "data.format=brown-genre",
                        "data.train-images=\"" + d + "/nope-images.gz\"", "data.text-dir=\"" + d + "/no-corpus\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalogue")
    void exitsWithCodeTwoNamingTheCulpritAndChangesNothing(String culprit, String[] args) throws IOException {
        StringWriter err = new StringWriter();
        List<String> argv = new ArrayList<>(List.of("run"));
        argv.addAll(List.of(args));
        int code = Main.execute(new PrintWriter(err, true), argv.toArray(new String[0]));
        assertEquals(2, code, "exit code for " + culprit + "; stderr: " + err);
        assertTrue(err.toString().contains(culprit), "message should name " + culprit + ": " + err);
        assertEquals(before, snapshot(), "existing results must not change");
    }
}
