package dev.fedlora.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.ranks.RankConfig;
import dev.fedlora.ranks.policies.BandwidthRanks;
import dev.fedlora.ranks.policies.DataQualityRanks;
import dev.fedlora.ranks.policies.RankPolicies;
import dev.fedlora.ranks.policies.RankTiers;
import dev.fedlora.strategy.registry.Strategies;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private String write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file.toString();
    }

    private static final String GOOD = """
            experiment { name = "tiers-flasc", seed = 7, rounds = 3 }
            clients {
              count = 50
              per-round = 5
              ranks {
                policy = tiers
                tiers = [{rank = 2, fraction = 0.25}, {rank = 8, fraction = 0.75}]
              }
            }
            train.learning-rate = 0.1
            strategy { name = flasc, flasc { download-density = 0.5, upload-density = 0.25 } }
            """;

    /** Loads a one-line config over a valid base, expecting a ConfigError; returns its message. */
    private String failing(String line) throws IOException {
        String file = write("bad.conf", GOOD + line + "\n");
        return assertThrows(ConfigError.class, () -> ConfigLoader.load(file, List.of())).getMessage();
    }

    private static void assertMentions(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "message should mention '" + part + "': " + message);
        }
    }

    @Test
    void goodConfigLoadsWithDefaultsForWhatItOmits() throws IOException {
        ExperimentConfig c = ConfigLoader.load(write("good.conf", GOOD), List.of());

        assertEquals("tiers-flasc", c.name());
        assertEquals(7, c.seed());
        assertEquals(3, c.rounds());
        assertEquals(50, c.clients().count());
        assertEquals(5, c.clients().perRound());
        assertEquals("tiers", c.clients().ranks().policy());
        assertEquals(new RankTiers(List.of(new RankTiers.Tier(2, 0.25), new RankTiers.Tier(8, 0.75))), c.clients().ranks());
        assertEquals(8, c.clients().ranks().maxRank());
        assertFalse(c.clients().ranks().uniform());
        assertEquals(0.1, c.train().learningRate());
        assertEquals("flasc", c.strategy().name());
        assertEquals(0.5, c.strategy().flasc().downloadDensity());
        assertEquals(0.25, c.strategy().flasc().uploadDensity());
        // defaults
        assertEquals(1.0, c.strategy().flasc().serverLearningRate());
        assertEquals(32, c.train().batchSize());
        assertEquals(0.0, c.train().momentum());
        assertEquals(16.0, c.model().loraAlpha());
        assertEquals(0.5, c.clients().partition().dirichletAlpha());
        assertEquals(16, c.run().tasksPerRound());
        assertEquals(2.0f, c.loraScale()); // alpha 16 / r_max 8
        assertEquals(64, c.hash().length());
    }

    @Test
    void sameConfigGivesTheSameHashAndAChangeChangesIt() throws IOException {
        String file = write("good.conf", GOOD);

        String hash = ConfigLoader.load(file, List.of()).hash();

        assertEquals(hash, ConfigLoader.load(file, List.of()).hash());
        assertNotEquals(hash, ConfigLoader.load(file, List.of("experiment.seed=8")).hash());
    }

    @Test
    void runLockTimingsAreReadButStayOutOfTheHash() throws IOException {
        String file = write("good.conf", GOOD);
        ExperimentConfig defaults = ConfigLoader.load(file, List.of());
        assertEquals(10, defaults.run().lockHeartbeatSeconds());
        assertEquals(60, defaults.run().lockStaleAfterSeconds());

        ExperimentConfig c = ConfigLoader.load(file,
                List.of("output.lock.heartbeat-seconds=2", "output.lock.stale-after-seconds=30"));

        assertEquals(2, c.run().lockHeartbeatSeconds());
        assertEquals(30, c.run().lockStaleAfterSeconds());
        assertEquals(defaults.hash(), c.hash(), "lock timings do not change what the run computes");
        assertTrue(c.rendered().contains("stale-after-seconds"), "config.conf still records them");
    }

    @Test
    void addingTheLockSectionKeptExistingHashes() {
        // The hash of the former conf/quickstart.conf (now conf/tiers.conf under another name) before
        // output.lock and strategy.fedprox existed: old run folders are still "this config".
        assertEquals("f7a995de6149a5ed8240f0ed8efa6b60d8fc50adfd7936ee04e92a1702834626",
                ConfigLoader.load("conf/tiers.conf", List.of("experiment.name = quickstart")).hash());
    }

    @Test
    void staleAfterBelowTwoHeartbeatsIsRefused() throws IOException {
        String file = write("good.conf", GOOD);

        ConfigError e = assertThrows(ConfigError.class, () -> ConfigLoader.load(file,
                List.of("output.lock.heartbeat-seconds=10", "output.lock.stale-after-seconds=15")));

        assertTrue(e.getMessage().contains("output.lock.stale-after-seconds = 15"), e.getMessage());
        assertTrue(e.getMessage().contains("heartbeat-seconds = 10"), e.getMessage());
        assertThrows(ConfigError.class, () -> ConfigLoader.load(file, List.of("output.lock.heartbeat-seconds=0")));
    }

    @Test
    void overridesWinOverTheFile() throws IOException {
        String file = write("good.conf", GOOD);

        ExperimentConfig c = ConfigLoader.load(file,
                List.of("clients.per-round=7", "train.learning-rate=0.2", "strategy.name=replication_pad"));

        assertEquals(7, c.clients().perRound());
        assertEquals(0.2, c.train().learningRate());
        assertEquals("replication_pad", c.strategy().name());
        assertEquals(50, c.clients().count(), "keys not overridden keep the file's value");
    }

    @Test
    void laterOverridesWinOverEarlierOnes() throws IOException {
        ExperimentConfig c = ConfigLoader.load(write("good.conf", GOOD),
                List.of("experiment.rounds=4", "experiment.rounds=9"));

        assertEquals(9, c.rounds());
    }

    @Test
    void unknownKeyInTheFileIsNamed() throws IOException {
        String message = failing("train.lerning-rate = 0.1");

        assertMentions(message, "train.lerning-rate", "train.learning-rate");
    }

    @Test
    void unknownKeyInAnOverrideIsNamed() throws IOException {
        String file = write("good.conf", GOOD);

        String message = assertThrows(ConfigError.class,
                () -> ConfigLoader.load(file, List.of("clients.cuont=5"))).getMessage();

        assertMentions(message, "clients.cuont");
    }

    @Test
    void overrideWithoutEqualsSignIsRejected() throws IOException {
        String file = write("good.conf", GOOD);

        String message = assertThrows(ConfigError.class,
                () -> ConfigLoader.load(file, List.of("clients.count"))).getMessage();

        assertMentions(message, "clients.count", "key=value");
    }

    @Test
    void wrongTypeNamesTheKeyAndTheValue() throws IOException {
        String message = failing("clients.count = \"many\"");

        assertMentions(message, "clients.count", "many", "integer");
    }

    @Test
    void fractionalValueForAnIntegerKeyIsAWrongType() throws IOException {
        // "fail, never clamp": 2.5 rounds must not silently become 2
        assertMentions(failing("experiment.rounds = 2.5"), "experiment.rounds", "2.5", "integer");
    }

    @Test
    void keyBelowALeafIsReportedAsAnUnknownKey() throws IOException {
        // train.momentum is a number, so train.momentum.x cannot exist
        assertMentions(failing("train.momentum { x = 1 }"), "train.momentum.x");
    }

    @Test
    void perRoundAboveCountNamesBothKeys() throws IOException {
        String message = failing("clients.per-round = 60");

        assertMentions(message, "clients.per-round", "60", "clients.count", "50");
    }

    @Test
    void negativeRoundsNamesKeyAndRange() throws IOException {
        assertMentions(failing("experiment.rounds = -1"), "experiment.rounds", "-1", "[0, 1000000]");
    }

    @Test
    void zeroDownloadDensityNamesKeyAndRange() throws IOException {
        assertMentions(failing("strategy.flasc.download-density = 0"),
                "strategy.flasc.download-density", "0", "(0, 1]");
    }

    @Test
    void downloadDensityAboveOneNamesKeyAndRange() throws IOException {
        assertMentions(failing("strategy.flasc.download-density = 1.5"),
                "strategy.flasc.download-density", "1.5", "(0, 1]");
    }

    @Test
    void momentumOfOneNamesKeyAndRange() throws IOException {
        assertMentions(failing("train.momentum = 1"), "train.momentum", "[0, 1)");
    }

    @Test
    void rankZeroNamesKeyAndRange() throws IOException {
        assertMentions(failing("clients.ranks { policy = fixed, rank = 0 }"), "clients.ranks.rank", "0", "[1, ");
    }

    @Test
    void onlyTheChosenRankPolicyReadsItsKeys() throws IOException {
        ExperimentConfig c = ConfigLoader.load(write("good.conf", GOOD), List.of("clients.ranks.rank = 0",
                "clients.ranks.bandwidth.min-bytes = 0", "clients.ranks.data-quality.promote-fraction = 2"));

        assertEquals(new RankTiers(List.of(new RankTiers.Tier(2, 0.25), new RankTiers.Tier(8, 0.75))), c.clients().ranks());
    }

    @Test
    void tierFractionsMustSumToOne() throws IOException {
        String message = failing("clients.ranks.tiers = [{rank = 2, fraction = 0.5}, {rank = 8, fraction = 0.3}]");

        assertMentions(message, "clients.ranks.tiers", "0.8", "expected 1");
    }

    @Test
    void tierWithAnUnknownKeyIsNamed() throws IOException {
        String message = failing("clients.ranks.tiers = [{rank = 2, fraction = 1, weight = 3}]");

        assertMentions(message, "clients.ranks.tiers[0].weight");
    }

    @Test
    void unknownRankPolicyListsTheValidOnes() throws IOException {
        String message = failing("clients.ranks.policy = random");

        assertEquals("clients.ranks.policy = random is not a rank policy; valid: "
                + String.join(", ", RankPolicies.STANDARD.names()), message);
        assertMentions(message, "fixed", "tiers", "quality", "bandwidth", "data-quality");
    }

    @Test
    void brokenHoconNamesTheFile() throws IOException {
        String file = write("broken.conf", "clients {\n  count = 5\n");

        String message = assertThrows(ConfigError.class, () -> ConfigLoader.load(file, List.of())).getMessage();

        assertMentions(message, file);
    }

    @Test
    void missingFileIsNamed() {
        String file = dir.resolve("nowhere.conf").toString();

        String message = assertThrows(ConfigError.class, () -> ConfigLoader.load(file, List.of())).getMessage();

        assertMentions(message, "not found", file);
    }

    @Test
    void unknownStrategyNameListsTheValidNames() throws IOException {
        StrategyConfig fednova = ConfigLoader.load(write("good.conf", GOOD), List.of("strategy.name = fednova")).strategy();

        String message = assertThrows(ConfigError.class, () -> Strategies.create(fednova)).getMessage();

        assertMentions(message, "strategy.name", "fednova", "zero_pad", "replication_pad", "fedavg", "hetlora",
                "flexlora", "flora", "ffa_lora", "flasc", "fedprox");
    }

    @Test
    void strategyOptionsHaveDefaultsAndTheRunContext() throws IOException {
        ExperimentConfig c = ConfigLoader.load(write("good.conf", GOOD), List.of());
        StrategyConfig.FlascOptions flasc = c.strategy().flasc();

        assertEquals("constant", flasc.schedule());
        assertEquals(1.0, flasc.finalDownloadDensity());
        assertEquals(1.0, flasc.finalUploadDensity());
        assertFalse(flasc.frozenMask());
        assertEquals("sgd", flasc.serverOptimizer());
        assertEquals(0.9, flasc.adamBeta1());
        assertEquals(0.999, flasc.adamBeta2());
        assertEquals(1e-8, flasc.adamEpsilon());
        assertEquals(0.0, c.strategy().hetlora().pruneThreshold());
        assertEquals(7, c.strategy().seed());
        assertEquals(3, c.strategy().rounds());
        assertEquals(c.loraScale(), c.strategy().loraScale());
    }

    @Test
    void flascScheduleAndServerOptimizerLoad() throws IOException {
        ExperimentConfig c = ConfigLoader.load(write("good.conf", GOOD), List.of(
                "strategy.flasc.schedule = cosine", "strategy.flasc.final-upload-density = 0.05",
                "strategy.flasc.frozen-mask = true", "strategy.flasc.final-download-density = 0.5",
                "strategy.flasc.server-optimizer = adam",
                "strategy.flasc.adam.beta2 = 0.99"));

        assertEquals("cosine", c.strategy().flasc().schedule());
        assertEquals(0.05, c.strategy().flasc().finalUploadDensity());
        assertTrue(c.strategy().flasc().frozenMask());
        assertEquals("adam", c.strategy().flasc().serverOptimizer());
        assertEquals(0.99, c.strategy().flasc().adamBeta2());
    }

    @Test
    void unknownScheduleListsTheValidOnes() throws IOException {
        assertMentions(failing("strategy.flasc.schedule = step"),
                "strategy.flasc.schedule", "step", "constant", "linear", "cosine");
    }

    @Test
    void unknownServerOptimizerListsTheValidOnes() throws IOException {
        assertMentions(failing("strategy.flasc.server-optimizer = rmsprop"),
                "strategy.flasc.server-optimizer", "rmsprop", "sgd", "adam");
    }

    @Test
    void frozenMaskWithAChangingDownloadDensityNamesTheKeys() throws IOException {
        // GOOD has download-density = 0.5; the final one defaults to 1.0
        String message = failing("strategy.flasc { frozen-mask = true, schedule = linear }");

        assertMentions(message, "strategy.flasc.frozen-mask", "strategy.flasc.final-download-density = 1.0",
                "strategy.flasc.download-density = 0.5", "linear");
    }

    @Test
    void densityRangesAndAdamSettingsNameTheirKeys() throws IOException {
        assertMentions(failing("strategy.flasc.final-upload-density = 0"),
                "strategy.flasc.final-upload-density", "(0, 1]");
        assertMentions(failing("strategy.flasc.adam.beta1 = 1"), "strategy.flasc.adam.beta1", "[0, 1)");
        assertMentions(failing("strategy.flasc.adam.epsilon = 0"), "strategy.flasc.adam.epsilon", "(0, ");
        assertMentions(failing("strategy.flasc.adam.beta3 = 0.5"), "strategy.flasc.adam.beta3");
    }

    @Test
    void pruneThresholdNamesKeyAndRange() throws IOException {
        assertMentions(failing("strategy.hetlora.prune-threshold = 1"), "strategy.hetlora.prune-threshold", "[0, 1)");
        assertEquals(0.25, ConfigLoader.load(write("good.conf", GOOD), List.of("strategy.hetlora.prune-threshold = 0.25"))
                .strategy().hetlora().pruneThreshold());
    }

    @Test
    void bandwidthPolicyLoadsWithItsBounds() throws IOException {
        ExperimentConfig c = ConfigLoader.load(write("good.conf", GOOD), List.of("clients.ranks.policy = bandwidth",
                "clients.ranks.bandwidth { min-bytes = 20000, max-bytes = 80000, max-rank = 12 }"));

        RankConfig ranks = c.clients().ranks();
        assertEquals(new BandwidthRanks(20_000, 80_000, 12), ranks);
        assertEquals(12, ranks.maxRank());
        assertFalse(ranks.uniform());
        assertEquals((float) (16.0 / 12), c.loraScale());
        assertEquals(c.loraScale(), c.strategy().loraScale());
    }

    @Test
    void bandwidthBoundsNameTheirKeys() throws IOException {
        String bandwidth = "clients.ranks.policy = bandwidth\n";
        assertMentions(failing(bandwidth + "clients.ranks.bandwidth { min-bytes = 5000, max-bytes = 4000 }"),
                "clients.ranks.bandwidth.max-bytes = 4000", "clients.ranks.bandwidth.min-bytes = 5000");
        assertMentions(failing(bandwidth + "clients.ranks.bandwidth.min-bytes = 0"), "clients.ranks.bandwidth.min-bytes", "0");
        assertMentions(failing(bandwidth + "clients.ranks.bandwidth.max-rank = 0"), "clients.ranks.bandwidth.max-rank", "[1, ");
        assertMentions(failing(bandwidth + "clients.ranks.bandwidth.max-bytes = 20000.5"), "clients.ranks.bandwidth.max-bytes",
                "integer");
    }

    @Test
    void dataQualityKeysNameTheirRanges() throws IOException {
        String dataQuality = "clients.ranks.policy = data-quality\n";
        assertMentions(failing(dataQuality + "clients.ranks.data-quality.validation-fraction = 1"),
                "clients.ranks.data-quality.validation-fraction", "1", "(0, 1)");
        assertMentions(failing(dataQuality + "clients.ranks.data-quality.promote-after-round = 0"),
                "clients.ranks.data-quality.promote-after-round", "0", "[1, 1000000]");
        assertMentions(failing(dataQuality + "clients.ranks.low-rank = x"), "clients.ranks.low-rank", "integer");
        ExperimentConfig c = ConfigLoader.load(write("good.conf", GOOD), List.of("clients.ranks.policy = data-quality"));
        assertEquals(new DataQualityRanks(5, 20, 0.2, 1, 0.1), c.clients().ranks());
        assertEquals(0.2, c.clients().ranks().validationFraction());
    }
}
