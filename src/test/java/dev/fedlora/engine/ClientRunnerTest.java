package dev.fedlora.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.fedlora.SyntheticData;
import dev.fedlora.client.LocalTrainer;
import dev.fedlora.config.ConfigLoader;
import dev.fedlora.config.ExperimentConfig;
import dev.fedlora.data.ClientShards;
import dev.fedlora.data.LabeledImages;
import dev.fedlora.model.BaseMlp;
import dev.fedlora.model.Adapter;
import dev.fedlora.model.AdapterLayout;
import dev.fedlora.random.Seeds;
import dev.fedlora.strategy.GlobalModel;
import dev.fedlora.strategy.NoState;
import dev.fedlora.strategy.Strategy;
import dev.fedlora.strategy.registry.Strategies;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One task's clients run in the test's thread, without Spark (shared values of a {@link LocalBackend}): which
 * clients the faults.* options hit, what is counted for them, and the weighted mean of what is left.
 * A 20-12-8 base, 250 synthetic examples over 20 clients (shards of 13 for clients 0-9 and 12 for
 * the rest, 20% of each held out: 10 or 9 train), zero_pad
 * with every client at rank 4 (so the plain weighted mean), two local epochs in batches of 8. The expected fault of each client is drawn here from
 * the documented rule: {@code u = uniform(seed, FAULTS, round, client)} falls in
 * [0, nan) = NaN, [nan, nan + huge) = huge norm, then dropout; a client straggles when
 * {@code uniform(seed, FAULTS, round, client, 1) < straggler-fraction}.
 */
class ClientRunnerTest {
    private static final long SEED = 7;
    private static final int ROUND = 3;
    private static final int CLIENTS = 20;
    private static final int RANK = 4;
    private static final int[] SIZES = {20, 12, 8, 10};
    private static final AdapterLayout SHAPE = dev.fedlora.model.MlpModel.layoutOf(SIZES);
    private static final double NAN = 0.15, HUGE = 0.15, DROPOUT = 0.15, STRAGGLER = 0.3;
    private static final String ALL_FAULTS = "faults { nan-fraction = 0.15, huge-norm-fraction = 0.15,"
            + " dropout-fraction = 0.15, straggler-fraction = 0.3 }\nrobustness.max-update-norm = 50";
    /** 4 bytes per value: rank 4 x (20 + 12 + 12 + 8) values per slot, plus the 8 x 10 + 10 head. */
    private static final long DENSE_BYTES = 4L * (RANK * (20 + 12 + 12 + 8) + 8 * 10 + 10);

    private enum Kind { NONE, NAN, HUGE_NORM, DROPOUT }

    static LabeledImages data;
    static BaseMlp base;
    static Backend.Shared<dev.fedlora.data.Examples> sharedData;
    static Backend.Shared<dev.fedlora.model.AdaptableModel> sharedBase;
    static GlobalModel global;

    @BeforeAll
    static void setUp() {
        SplittableRandom rng = new SplittableRandom(3);
        data = SyntheticData.images(250, 20, rng);
        base = SyntheticData.base(SIZES, rng);
        global = new GlobalModel<>(Adapter.init(SHAPE, RANK, rng), NoState.NONE);
        LocalBackend local = new LocalBackend();
        sharedData = local.share(data);
        sharedBase = local.share(dev.fedlora.model.MlpModel.of(base, SHAPE));
    }

    static ExperimentConfig config(String settings) {
        return ExperimentConfig.from(ConfigFactory.parseString(String.join("\n",
                        "experiment.seed = " + SEED,
                        // data-quality holds out 20% of each shard; every slot here is at the low rank
                        "clients { count = " + CLIENTS + ", per-round = " + CLIENTS
                                + ", ranks { policy = data-quality, low-rank = " + RANK + ", high-rank = 8"
                                + ", data-quality.validation-fraction = 0.2 } }",
                        "train { epochs = 2, batch-size = 8, learning-rate = 0.05, momentum = 0.5 }",
                        "strategy.name = zero_pad",
                        settings))
                .withFallback(ConfigLoader.defaults()).resolve());
    }

    /** Runs every client through one ClientRunner task, as an executor would. */
    static Partial runAll(ExperimentConfig cfg) {
        Strategy strategy = Strategies.create(cfg.strategy());
        ClientRunner runner = new ClientRunner(sharedData, sharedBase, SHAPE, 2f, cfg.train(), strategy,
                ShardSpec.of(cfg.clients(), SEED), SEED, cfg.faults(), null);
        List<ClientSlot> slots = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) slots.add(new ClientSlot(c, RANK));
        return runner.run(slots.iterator(), new RoundInput(ROUND, RANK, strategy.download(global, ROUND)));
    }

    static Kind kind(int client, double nan, double huge, double dropout) {
        double u = Seeds.uniform(SEED, Seeds.Purpose.FAULTS, ROUND, client);
        if (u < nan) return Kind.NAN;
        if (u < nan + huge) return Kind.HUGE_NORM;
        if (u < nan + huge + dropout) return Kind.DROPOUT;
        return Kind.NONE;
    }

    static boolean straggles(int client) {
        return Seeds.uniform(SEED, Seeds.Purpose.FAULTS, ROUND, client, 1) < STRAGGLER;
    }

    /** The client's shard without its held-out 20%: {@code n - max(1, ceil(0.2 n))} examples. */
    static int[] trainingPart(ExperimentConfig cfg, int client) {
        ShardSpec spec = ShardSpec.of(cfg.clients(), SEED);
        ClientShards shards = spec.shardsOf(data);
        int[] part = spec.trainingPart(shards, client);
        int n = shards.shardSize(client);
        assertEquals(n - Math.max(1, (int) Math.ceil(0.2 * n)), part.length, "training part of client " + client);
        return part;
    }

    @Test
    void theInjectedFaultsHitEveryKindOfClientInThisRound() {
        int[] count = new int[Kind.values().length];
        for (int c = 0; c < CLIENTS; c++) count[kind(c, NAN, HUGE, DROPOUT).ordinal()]++;
        for (Kind k : Kind.values()) assertTrue(count[k.ordinal()] > 0, "some client is " + k + ": " + count[k.ordinal()]);
    }

    @Test
    void rejectedDroppedAndStragglingClientsAreCountedAndOnlyTheOthersFolded() {
        ExperimentConfig cfg = config(ALL_FAULTS);
        Partial partial = runAll(cfg);
        RoundStats stats = partial.stats();

        long folded = 0, rejected = 0, dropped = 0, stragglers = 0, examples = 0, steps = 0;
        List<String> reasons = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            Kind kind = kind(c, NAN, HUGE, DROPOUT);
            if (kind == Kind.DROPOUT) {
                dropped++;
                continue;
            }
            if (straggles(c)) stragglers++;
            if (kind == Kind.NAN) {
                rejected++;
                reasons.add("client " + c + ": non-finite values");
            } else if (kind == Kind.HUGE_NORM) {
                rejected++;
                reasons.add("client " + c + ": update norm");
            } else {
                int n = trainingPart(cfg, c).length;
                folded++;
                examples += n;
                steps += 2L * ((n + 7) / 8);
            }
        }
        assertEquals(folded, stats.clients(), "folded");
        assertEquals(folded, partial.accumulator().count(), "updates in the accumulator");
        assertEquals(rejected, stats.rejected(), "rejected");
        assertEquals(dropped, stats.dropped(), "dropped");
        assertEquals(stragglers, stats.stragglers(), "stragglers (a dropped client never reports, late or not)");
        assertEquals(examples, stats.examples, "examples of the folded clients");
        assertEquals(steps, stats.localSteps(), "local steps of the folded clients: 2 epochs of ceil(n / 8)");
        assertEquals(reasons.size(), stats.rejections().size());
        for (int i = 0; i < reasons.size(); i++) {
            assertTrue(stats.rejections().get(i).startsWith(reasons.get(i)), stats.rejections().get(i));
            if (reasons.get(i).endsWith("update norm")) {
                assertTrue(stats.rejections().get(i).contains("exceeds robustness.max-update-norm = 50"),
                        stats.rejections().get(i));
            }
        }
    }

    @Test
    void theMeanIsReweightedOverTheClientsThatRemain() {
        // the weighted mean of the clients that were neither rejected nor dropped: w_k = n_k / sum of their n_j;
        // each is trained here again from the global model with its derived seed
        ExperimentConfig cfg = config(ALL_FAULTS);
        Strategy strategy = Strategies.create(cfg.strategy());
        GlobalModel next = strategy.finish(runAll(cfg).accumulator(), global, 1);

        LocalTrainer trainer = new LocalTrainer(dev.fedlora.model.MlpModel.of(base, SHAPE), 2f, cfg.train());
        float[] start = global.adapter().flatten();
        double[] sum = new double[start.length];
        long total = 0;
        Set<Integer> sizes = new TreeSet<>();
        for (int c = 0; c < CLIENTS; c++) {
            if (kind(c, NAN, HUGE, DROPOUT) != Kind.NONE) continue;
            int[] part = trainingPart(cfg, c);
            Adapter trained = trainer.train(global.adapter(), data, part, true,
                    Seeds.rng(SEED, Seeds.Purpose.CLIENT_TRAIN, ROUND, c)).params();
            assertTrue(trained.distanceTo(global.adapter()) < 50, "client " + c + " is within the norm bound");
            float[] t = trained.flatten();
            for (int i = 0; i < t.length; i++) sum[i] += (double) part.length * t[i];
            total += part.length;
            sizes.add(part.length);
        }
        assertTrue(sizes.size() > 1, "the remaining clients have unequal weights: " + sizes);
        float[] actual = next.adapter().flatten();
        double largestMove = 0;
        for (int i = 0; i < sum.length; i++) {
            double expected = sum[i] / total;
            assertEquals(expected, actual[i], 1e-6 * (1 + Math.abs(expected)), "value " + i);
            largestMove = Math.max(largestMove, Math.abs(expected - start[i]));
        }
        assertTrue(largestMove > 1e-3, "the round moved the model: " + largestMove);
    }

    @Test
    void bytesOfEveryClientThatTrainedAndSent() {
        // bytes that do not depend on how rejected and dropped clients are charged: with no faults,
        // every client; with only NaN clients, every download; with only dropouts, the uploads of the rest
        RoundStats clean = runAll(config("")).stats();
        assertEquals(CLIENTS, clean.clients());
        assertEquals(CLIENTS * DENSE_BYTES, clean.bytesDown());
        assertEquals(CLIENTS * DENSE_BYTES, clean.bytesUp());

        RoundStats nanOnly = runAll(config("faults.nan-fraction = 0.3")).stats();
        long nanClients = 0;
        for (int c = 0; c < CLIENTS; c++) if (kind(c, 0.3, 0, 0) == Kind.NAN) nanClients++;
        assertTrue(nanClients > 0);
        assertEquals(nanClients, nanOnly.rejected());
        assertEquals(CLIENTS * DENSE_BYTES, nanOnly.bytesDown(), "every sampled client downloaded");

        RoundStats dropOnly = runAll(config("faults.dropout-fraction = 0.3")).stats();
        long remaining = 0;
        for (int c = 0; c < CLIENTS; c++) if (kind(c, 0, 0, 0.3) == Kind.NONE) remaining++;
        assertTrue(remaining < CLIENTS);
        assertEquals(remaining, dropOnly.clients());
        assertEquals(remaining * DENSE_BYTES, dropOnly.bytesUp(), "only clients that reported uploaded");
    }

    @Test
    void rejectedClientsCountTheirUploadAndDroppedClientsOnlyTheirDownload() {
        // the rule: a rejected client's upload was received (bytes up and down); a dropped client
        // received its download and never sent anything (bytes down only)
        RoundStats stats = runAll(config(ALL_FAULTS)).stats();

        long down = 0, up = 0;
        for (int c = 0; c < CLIENTS; c++) {
            Kind kind = kind(c, NAN, HUGE, DROPOUT);
            down += DENSE_BYTES;
            if (kind != Kind.DROPOUT) up += DENSE_BYTES;
        }
        assertFalse(stats.rejected() == 0 || stats.dropped() == 0, "both kinds occur");
        assertEquals(down, stats.bytesDown(), "downloads of every sampled client");
        assertEquals(up, stats.bytesUp(), "uploads of the folded and the rejected clients");
    }
}
