package dev.fedlora.ranks.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.config.ConfigError;
import dev.fedlora.data.ClientShards;
import dev.fedlora.model.AdapterLayout;
import dev.fedlora.random.Seeds;
import dev.fedlora.ranks.RankConfig;
import dev.fedlora.ranks.RankPolicy;
import dev.fedlora.ranks.policies.RankTiers.Tier;
import java.util.List;
import org.junit.jupiter.api.Test;

class RankPolicyTest {
    private static final int CLIENTS = 100_000;
    private static final AdapterLayout SHAPE = dev.fedlora.model.MlpModel.layoutOf(784, 256, 256, 10);
    private static final BandwidthRanks BANDWIDTH = new BandwidthRanks(16_000, 128_000, 16);
    private static final RankTiers TIERS = new RankTiers(List.of(new Tier(2, 0.5), new Tier(4, 0.3), new Tier(16, 0.2)));

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
        assertEquals(16, TIERS.maxRank());
        assertFalse(TIERS.uniform());
        assertEquals("clients.ranks.tiers", TIERS.maxRankKey());
    }

    @Test
    void tiersAreDeterministicPerSeed() {
        RankPolicy first = RankPolicy.create(TIERS, null, 42, SHAPE);
        RankPolicy again = RankPolicy.create(TIERS, null, 42, SHAPE);
        RankPolicy otherSeed = RankPolicy.create(TIERS, null, 43, SHAPE);
        int differ = 0;
        for (int c = 0; c < 10_000; c++) {
            // the tier where u_c = uniform(42, RANKS, c) lands among the cumulative fractions 0.5, 0.8, 1.0
            double u = Seeds.uniform(42, Seeds.Purpose.RANKS, c);
            int expected = u < 0.5 ? 2 : u < 0.5 + 0.3 ? 4 : 16;
            assertEquals(expected, first.rankOf(c), "rank of client " + c);
            assertEquals(expected, first.rankOf(c), "asked twice, client " + c);
            assertEquals(expected, again.rankOf(c), "same seed, client " + c);
            if (first.rankOf(c) != otherSeed.rankOf(c)) differ++;
        }
        // two independent draws disagree with probability 1 - (0.25 + 0.09 + 0.04) = 0.62
        assertTrue(differ > 5000, "another seed reassigns ranks: " + differ + " of 10000 differ");
    }

    @Test
    void singleTierGivesEveryoneItsRank() {
        RankTiers one = new RankTiers(List.of(new Tier(4, 1.0)));
        RankPolicy policy = RankPolicy.create(one, null, 1, SHAPE);

        for (int c = 0; c < 1000; c++) assertEquals(4, policy.rankOf(c));
        assertTrue(one.uniform());
    }

    @Test
    void badTiersAreRejectedNamingTheKey() {
        assertMessage("clients.ranks.policy = tiers needs a non-empty clients.ranks.tiers", () -> new RankTiers(List.of()));
        assertMessage("clients.ranks.tiers[1].rank = 0 is out of range: expected [1, layer width]",
                () -> new RankTiers(List.of(new Tier(2, 0.5), new Tier(0, 0.5))));
        assertMessage("clients.ranks.tiers[0].fraction = 1.5 is out of range: expected (0, 1]",
                () -> new RankTiers(List.of(new Tier(2, 1.5))));
        assertMessage("clients.ranks.tiers fractions sum to 0.8, expected 1",
                () -> new RankTiers(List.of(new Tier(2, 0.5), new Tier(4, 0.3))));
    }

    @Test
    void fixedGivesEveryoneTheRank() {
        FixedRanks fixed = new FixedRanks(6);
        RankPolicy policy = RankPolicy.create(fixed, null, 1, SHAPE);

        for (int c = 0; c < 1000; c++) assertEquals(6, policy.rankOf(c));
        assertEquals(6, fixed.maxRank());
        assertTrue(fixed.uniform());
        assertEquals("clients.ranks.rank", fixed.maxRankKey());
        assertEquals(0, fixed.validationFraction());
        assertMessage("clients.ranks.rank = 0 is out of range: expected [1, 2147483647]", () -> new FixedRanks(0));
    }

    @Test
    void qualityGivesTheHighQualityClientsTheHighRank() {
        int[] labels = new int[2000];
        for (int i = 0; i < labels.length; i++) labels[i] = i % 10;
        ClientShards shards = ClientShards.create(labels, 10, 40, 0.1, 0.25, 0, 5);
        QualityRanks quality = new QualityRanks(5, 20);
        RankPolicy policy = RankPolicy.create(quality, shards, 5, SHAPE);

        int high = 0;
        for (int c = 0; c < 40; c++) {
            assertEquals(shards.isHighQuality(c) ? 20 : 5, policy.rankOf(c), "client " + c);
            if (shards.isHighQuality(c)) high++;
        }
        assertEquals(10, high, "a quarter of 40 clients");
        assertEquals(20, quality.maxRank());
        assertEquals("clients.ranks.high-rank", quality.maxRankKey());
        assertEquals("clients.ranks.low-rank", new QualityRanks(20, 5).maxRankKey());
        assertFalse(quality.uniform());
        assertTrue(new QualityRanks(8, 8).uniform());
        assertMessage("clients.ranks.low-rank = 0 is out of range: expected [1, 2147483647]", () -> new QualityRanks(0, 4));
    }

    // SHAPE: 1552 values per rank slot, 2570 head values; rank r uploads 4 (1552 r + 2570) = 6208 r + 10280 bytes
    @Test
    void largestRankWhoseDenseUploadFits() {
        assertEquals(1, BandwidthRanks.largestRankWithin(16_488, SHAPE, 16), "rank 1 costs 16488 bytes");
        assertEquals(1, BandwidthRanks.largestRankWithin(22_695, SHAPE, 16));
        assertEquals(2, BandwidthRanks.largestRankWithin(22_696, SHAPE, 16), "rank 2 costs 22696 bytes");
        assertEquals(15, BandwidthRanks.largestRankWithin(109_607, SHAPE, 16));
        assertEquals(16, BandwidthRanks.largestRankWithin(109_608, SHAPE, 16), "rank 16 costs 109608 bytes");
        assertEquals(16, BandwidthRanks.largestRankWithin(10_000_000, SHAPE, 16), "capped at max-rank");
        assertEquals(4, BandwidthRanks.largestRankWithin(10_000_000, SHAPE, 4));
    }

    @Test
    void budgetTooSmallForRankOneStillGetsRankOne() {
        assertEquals(1, BandwidthRanks.largestRankWithin(16_487, SHAPE, 16));
        assertEquals(1, BandwidthRanks.largestRankWithin(1, SHAPE, 16));
    }

    @Test
    void budgetsAreLogUniformBetweenTheBounds() {
        // log-uniform on [16000, 128000]: a quarter below 16000 * 8^(1/4) = 26909, half below 45255
        int belowQuarter = 0, belowHalf = 0;
        for (int c = 0; c < CLIENTS; c++) {
            long budget = BANDWIDTH.uploadBudget(42, c);
            assertTrue(budget >= 16_000 && budget <= 128_000, "client " + c + " budget " + budget);
            if (budget < 26_909) belowQuarter++;
            if (budget < 45_255) belowHalf++;
        }
        assertEquals(0.25, belowQuarter / (double) CLIENTS, 0.01);
        assertEquals(0.5, belowHalf / (double) CLIENTS, 0.01);
    }

    @Test
    void bandwidthGivesEachClientTheRankItsBudgetAffords() {
        RankPolicy policy = RankPolicy.create(BANDWIDTH, null, 42, SHAPE);
        int rank1 = 0, rank16 = 0;
        for (int c = 0; c < CLIENTS; c++) {
            int rank = policy.rankOf(c);
            long budget = BANDWIDTH.uploadBudget(42, c);
            assertEquals(BandwidthRanks.largestRankWithin(budget, SHAPE, 16), rank);
            assertTrue(rank == 1 || 4L * (rank * 1552L + 2570) <= budget, "client " + c + " fits its budget");
            assertTrue(rank == 16 || 4L * ((rank + 1) * 1552L + 2570) > budget, "client " + c + ": one more rank would not fit");
            if (rank == 1) rank1++;
            if (rank == 16) rank16++;
        }
        // P(rank 1) = P(budget < 22696) = ln(22696 / 16000) / ln 8 = 0.168;
        // P(rank 16) = P(budget >= 109608) = 1 - ln(109608 / 16000) / ln 8 = 0.075
        assertEquals(0.168, rank1 / (double) CLIENTS, 0.01);
        assertEquals(0.075, rank16 / (double) CLIENTS, 0.01);
        assertEquals(16, BANDWIDTH.maxRank());
        assertFalse(BANDWIDTH.uniform());
        assertTrue(new BandwidthRanks(16_000, 128_000, 1).uniform());
        assertEquals("clients.ranks.bandwidth.max-rank", BANDWIDTH.maxRankKey());
    }

    @Test
    void bandwidthIsDeterministicPerSeed() {
        RankPolicy first = RankPolicy.create(BANDWIDTH, null, 42, SHAPE);
        RankPolicy again = RankPolicy.create(BANDWIDTH, null, 42, SHAPE);
        RankPolicy otherSeed = RankPolicy.create(BANDWIDTH, null, 43, SHAPE);
        int differ = 0;
        for (int c = 0; c < 10_000; c++) {
            assertEquals(first.rankOf(c), again.rankOf(c), "rank of client " + c);
            if (first.rankOf(c) != otherSeed.rankOf(c)) differ++;
        }
        assertTrue(differ > 5000, "another seed reassigns ranks: " + differ + " of 10000 differ");
    }

    @Test
    void badBandwidthBoundsAreRejected() {
        assertMessage("clients.ranks.bandwidth.max-bytes = 10 is below clients.ranks.bandwidth.min-bytes = 20:"
                + " expected min-bytes <= max-bytes", () -> new BandwidthRanks(20, 10, 4));
        assertMessage("clients.ranks.bandwidth.min-bytes = 0 is out of range: expected an integer >= 1",
                () -> new BandwidthRanks(0, 10, 4));
        assertMessage("clients.ranks.bandwidth.max-rank = 0 is out of range: expected [1, 2147483647]",
                () -> new BandwidthRanks(1, 10, 0));
    }

    @Test
    void onlyDataQualityHoldsOutAValidationSplit() {
        DataQualityRanks dataQuality = new DataQualityRanks(5, 20, 0.2, 1, 0.1);
        assertEquals(0.2, dataQuality.validationFraction());
        assertEquals(20, dataQuality.maxRank());
        assertEquals("clients.ranks.high-rank", dataQuality.maxRankKey());
        for (RankConfig other : List.of(new FixedRanks(4), TIERS, new QualityRanks(5, 20), BANDWIDTH)) {
            assertEquals(0, other.validationFraction(), other.policy());
        }
    }

    private static void assertMessage(String expected, Runnable build) {
        assertEquals(expected, assertThrows(ConfigError.class, build::run).getMessage());
    }
}
