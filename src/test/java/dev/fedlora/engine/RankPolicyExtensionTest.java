package dev.fedlora.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.fedlora.SparkTestSession;
import dev.fedlora.TestData;
import dev.fedlora.checkpoint.CheckpointStore;
import dev.fedlora.client.CohortSampler;
import dev.fedlora.config.ConfigError;
import dev.fedlora.config.ConfigLoader;
import dev.fedlora.config.ExperimentConfig;
import dev.fedlora.config.Keys;
import dev.fedlora.data.ClientShards;
import dev.fedlora.metrics.MetricsRow;
import dev.fedlora.model.AdapterLayout;
import dev.fedlora.ranks.RankConfig;
import dev.fedlora.ranks.RankPolicy;
import dev.fedlora.ranks.policies.RankPolicies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rank policy the production code has never heard of, defined and registered in this test: one
 * record and one {@link RankPolicies#with} call. It is read from its own config section and
 * validated there, listed among the valid names, checked against the model and the strategy, and
 * the round loop and checkpoints run it exactly as they run a built-in policy.
 */
class RankPolicyExtensionTest {
    /** {@code alternating}: even client ids at {@code even-rank}, odd ones at {@code odd-rank}. */
    record AlternatingRanks(int evenRank, int oddRank) implements RankConfig {
        static final String NAME = "alternating";
        static final String EVEN = "clients.ranks.alternating.even-rank";
        static final String ODD = "clients.ranks.alternating.odd-rank";

        AlternatingRanks {
            Keys.requireIn(EVEN, evenRank, 1, Integer.MAX_VALUE);
            Keys.requireIn(ODD, oddRank, 1, Integer.MAX_VALUE);
        }

        static AlternatingRanks from(Config c) {
            return new AlternatingRanks(Keys.anyInt(c, EVEN), Keys.anyInt(c, ODD));
        }

        @Override
        public String policy() {
            return NAME;
        }

        @Override
        public int maxRank() {
            return Math.max(evenRank, oddRank);
        }

        @Override
        public boolean uniform() {
            return evenRank == oddRank;
        }

        @Override
        public String maxRankKey() {
            return evenRank >= oddRank ? EVEN : ODD;
        }

        @Override
        public RankPolicy create(ClientShards shards, long seed, AdapterLayout shape) {
            return new Policy(evenRank, oddRank);
        }

        record Policy(int evenRank, int oddRank) implements RankPolicy {
            @Override
            public int rankOf(int client) {
                return client % 2 == 0 ? evenRank : oddRank;
            }
        }
    }

    static final RankPolicies POLICIES = RankPolicies.STANDARD.with(AlternatingRanks.NAME, AlternatingRanks::from);
    static final AdapterLayout SMALL = dev.fedlora.model.MlpModel.layoutOf(TestData.SMALL_BASE_SIZES);

    @TempDir
    static Path tmp;
    static Path file;

    @BeforeAll
    static void writeConfig() throws Exception {
        file = tmp.resolve("alternating.conf");
        Files.writeString(file, """
                experiment { seed = 5, rounds = 2 }
                data { train-limit = 3000, test-limit = 1000 }
                model.base = "%s"
                lora.alpha = 8
                clients { count = 30, per-round = 10 }
                strategy.name = replication_pad
                train { learning-rate = 0.05, momentum = 0.9 }
                engine.tasks-per-round = 2
                eval.partitions = 2
                output { dir = "%s", checkpoint-every = 1 }
                """.formatted(TestData.smallBaseModel(), tmp.resolve("runs")));
    }

    /** The test file with {@code overrides}, then {@code section} (keys the defaults do not have) on top. */
    static ExperimentConfig config(String name, String section, String... overrides) {
        List<String> o = new ArrayList<>(List.of(overrides));
        o.add("experiment.name = " + name);
        Config resolved = ConfigFactory.parseString(section).withFallback(ConfigLoader.resolve(file.toString(), o))
                .resolve();
        return ExperimentConfig.from(resolved, POLICIES);
    }

    static ExperimentConfig alternating(String name, int even, int odd, String... overrides) {
        List<String> o = new ArrayList<>(List.of(overrides));
        o.add("clients.ranks.policy = alternating");
        return config(name, "clients.ranks.alternating { even-rank = " + even + ", odd-rank = " + odd + " }",
                o.toArray(String[]::new));
    }

    @Test
    void registeredAfterTheBuiltInPoliciesWhichStayAsTheyWere() {
        assertEquals(List.of("fixed", "tiers", "quality", "bandwidth", "data-quality", "alternating"),
                List.copyOf(POLICIES.names()));
        assertEquals(List.of("fixed", "tiers", "quality", "bandwidth", "data-quality"),
                List.copyOf(RankPolicies.STANDARD.names()));
        assertThrows(IllegalArgumentException.class, () -> POLICIES.with("alternating", AlternatingRanks::from));
    }

    @Test
    void readAndValidatedFromItsOwnSection() {
        ExperimentConfig cfg = alternating("parsed", 2, 8);
        assertEquals(new AlternatingRanks(2, 8), cfg.clients().ranks());
        assertEquals(8f / 8, cfg.loraScale(), "lora.alpha / the policy's max rank");

        assertEquals("clients.ranks.alternating.even-rank = 0 is out of range: expected [1, 2147483647]",
                assertThrows(ConfigError.class, () -> alternating("bad", 0, 8)).getMessage());
        assertEquals("clients.ranks.policy = random is not a rank policy; valid: fixed, tiers, quality, bandwidth,"
                        + " data-quality, alternating",
                assertThrows(ConfigError.class, () -> config("unknown", "", "clients.ranks.policy = random"))
                        .getMessage());
        assertEquals("clients.ranks.policy = alternating is not a rank policy; valid: fixed, tiers, quality,"
                        + " bandwidth, data-quality",
                assertThrows(ConfigError.class, () -> ConfigLoader.load(file.toString(),
                        List.of("clients.ranks.policy = alternating"))).getMessage(),
                "unknown to the standard registry");
    }

    @Test
    void checkedAgainstTheModelAndTheStrategy() {
        Configuration conf = new Configuration();
        assertEquals("clients.ranks.alternating.odd-rank gives rank 100, above the narrowest LoRA target of "
                        + SMALL + ": expected a rank in [1, 64]",
                assertThrows(ConfigError.class, () -> ExperimentInputs.load(alternating("wide", 2, 100), conf))
                        .getMessage());
        assertEquals("strategy.name = fedavg needs every client at the same rank, but clients.ranks.policy ="
                        + " alternating gives different ranks",
                assertThrows(ConfigError.class, () -> ExperimentInputs.load(
                        alternating("unequal", 2, 8, "strategy.name = fedavg"), conf)).getMessage());
    }

    @Test
    void theRoundLoopRunsItLikeABuiltInPolicy() throws Exception {
        List<MetricsRow> same = run(alternating("alternating-8-8", 8, 8));
        List<MetricsRow> fixed = run(config("fixed-8", "", "clients.ranks.policy = fixed", "clients.ranks.rank = 8"));
        assertEquals(fixed.size(), same.size());
        for (int i = 0; i < fixed.size(); i++) {
            assertEquals(withoutTimes(fixed.get(i)), withoutTimes(same.get(i)), "round " + i);
        }

        ExperimentConfig cfg = alternating("alternating-2-8", 2, 8);
        List<MetricsRow> rows = run(cfg);
        for (int round = 1; round <= 2; round++) {
            long bytesUp = 0;
            for (int c : CohortSampler.sample(5, round, 30, 10)) {
                bytesUp += 4L * ((c % 2 == 0 ? 2 : 8) * SMALL.valuesPerRankSlot() + SMALL.denseValues());
            }
            assertEquals(bytesUp, rows.get(round).bytesUp(), "dense uploads at each client's rank, round " + round);
        }
        assertNotEquals(fixed.get(1).bytesUp(), rows.get(1).bytesUp());

        RankPolicy kept = new CheckpointStore(tmp.resolve("runs/alternating-2-8").toString(), cfg.hash(),
                new Configuration()).latest().orElseThrow().ranks();
        assertEquals(new AlternatingRanks.Policy(2, 8), kept, "the checkpoint keeps the runtime policy");
    }

    private static List<MetricsRow> run(ExperimentConfig cfg) throws Exception {
        return ExperimentJob.run(List.of(cfg), true, SparkTestSession::get).get(cfg.name());
    }

    private static List<Object> withoutTimes(MetricsRow r) {
        return List.of(String.valueOf(r.testAccuracy()), String.valueOf(r.testLoss()),
                String.valueOf(r.meanTrainLoss()), r.clients(), r.rejected(), r.localSteps(), r.bytesDown(),
                r.bytesUp());
    }
}
