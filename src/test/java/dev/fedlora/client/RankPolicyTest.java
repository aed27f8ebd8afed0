package dev.fedlora.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.config.RankConfig;
import dev.fedlora.config.RankConfig.Bandwidth;
import dev.fedlora.config.RankConfig.Tier;
import dev.fedlora.model.ModelShape;
import java.util.List;
import org.junit.jupiter.api.Test;

class RankPolicyTest {
    private static final int CLIENTS = 100_000;
    private static final ModelShape SHAPE = new ModelShape(784, 256, 256, 10);
    private static final Bandwidth BANDWIDTH = new Bandwidth(16_000, 128_000, 16);
    private static final RankConfig TIERS = new RankConfig("tiers", 8,
            List.of(new Tier(2, 0.5), new Tier(4, 0.3), new Tier(16, 0.2)), 20, 5, BANDWIDTH);

    @Test
    void tiersGiveRanksInTheConfiguredProportions() {
        RankPolicy policy = RankPolicy.create(TIERS, null, 42, SHAPE);
        int r2 = 0, r4 = 0, r16 = 0;
        for (int c = 0; c < CLIENTS; c++) {
            switch (policy.rankOf(c)) {
                case 2 -> r2++;
                case 4 -> r4++;
                case 16 -> r16++;
                default -> throw new AssertionError("client " + c + " got rank " + policy.rankOf(c));
            }
        }
        // binomial sd over 100k clients is at most 0.0016; allow 0.01
        assertEquals(0.5, r2 / (double) CLIENTS, 0.01);
        assertEquals(0.3, r4 / (double) CLIENTS, 0.01);
        assertEquals(0.2, r16 / (double) CLIENTS, 0.01);
    }

    @Test
    void tiersAreDeterministicPerSeed() {
        RankPolicy first = RankPolicy.create(TIERS, null, 42, SHAPE);
        RankPolicy again = RankPolicy.create(TIERS, null, 42, SHAPE);
        RankPolicy otherSeed = RankPolicy.create(TIERS, null, 43, SHAPE);
        int differ = 0;
        for (int c = 0; c < 10_000; c++) {
            assertEquals(first.rankOf(c), again.rankOf(c), "rank of client " + c);
            assertEquals(first.rankOf(c), first.rankOf(c), "asked twice, client " + c);
            if (first.rankOf(c) != otherSeed.rankOf(c)) differ++;
        }
        // two independent draws disagree with probability 1 - (0.25 + 0.09 + 0.04) = 0.62
        assertTrue(differ > 5000, "another seed reassigns ranks: " + differ + " of 10000 differ");
    }

    @Test
    void singleTierGivesEveryoneItsRank() {
        RankPolicy policy = RankPolicy.create(new RankConfig("tiers", 8, List.of(new Tier(4, 1.0)), 20, 5, BANDWIDTH), null, 1, SHAPE);

        for (int c = 0; c < 1000; c++) assertEquals(4, policy.rankOf(c));
    }

    @Test
    void fixedGivesEveryoneTheRank() {
        RankPolicy policy = RankPolicy.create(new RankConfig("fixed", 6, List.of(), 20, 5, BANDWIDTH), null, 1, SHAPE);

        for (int c = 0; c < 1000; c++) assertEquals(6, policy.rankOf(c));
    }
}
