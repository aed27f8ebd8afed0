package dev.fedlora.ranks.policies;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.fedlora.config.ConfigError;
import dev.fedlora.model.Adapter;
import dev.fedlora.model.AdapterLayout;
import dev.fedlora.ranks.ClientScorer;
import dev.fedlora.ranks.RankPolicy;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DataQualityRanksTest {
    private static final Adapter GLOBAL = Adapter.init(dev.fedlora.model.MlpModel.layoutOf(4, 3, 2), 2, new SplittableRandom(1));

    @Test
    void bestPicksTheTopScoresWithTiesToTheLowerId() {
        double[] scores = {0.5, 0.9, 0.7, 0.9, 0.1, 0.7};
        // ceil(0.5 * 6) = 3: 0.9 (ids 1, 3), then 0.7 (id 2 before id 5).
        assertArrayEquals(new int[] {1, 2, 3}, DataQualityRanks.best(scores, 0.5));
        // ceil(0.1 * 6) = 1: the lower of the two 0.9s.
        assertArrayEquals(new int[] {1}, DataQualityRanks.best(scores, 0.1));
        assertArrayEquals(new int[] {}, DataQualityRanks.best(scores, 0.0));
    }

    @Test
    void everyoneStartsLowAndTheBestArePromotedAfterTheConfiguredRoundOnly() {
        DataQualityRanks.Policy start = new DataQualityRanks(5, 20, 0.2, 2, 0.25).create(null, 0, null);
        for (int c = 0; c < 8; c++) assertEquals(5, start.rankOf(c));
        ClientScorer scorer = adapter -> new double[] {0.1, 0.2, 0.8, 0.3, 0.9, 0.0, 0.4, 0.5};
        assertSame(start, start.afterRound(1, GLOBAL, scorer), "no change before the promotion round");
        assertNull(start.promoted());
        RankPolicy after = start.afterRound(2, GLOBAL, scorer);
        int[] expectedRanks = {5, 5, 20, 5, 20, 5, 5, 5};
        for (int c = 0; c < 8; c++) assertEquals(expectedRanks[c], after.rankOf(c), "client " + c);
        ClientScorer failing = adapter -> {
            throw new AssertionError("scored twice");
        };
        assertSame(after, after.afterRound(3, GLOBAL, failing), "promotion happens once");
    }

    @Test
    void badSettingsAreRejectedNamingTheKey() {
        assertMessage("clients.ranks.data-quality.validation-fraction = 0.0 is out of range: expected (0, 1)",
                () -> new DataQualityRanks(5, 20, 0, 1, 0.1));
        assertMessage("clients.ranks.data-quality.promote-after-round = 0 is out of range: expected [1, 1000000]",
                () -> new DataQualityRanks(5, 20, 0.2, 0, 0.1));
        assertMessage("clients.ranks.data-quality.promote-fraction = 1.5 is out of range: expected [0, 1]",
                () -> new DataQualityRanks(5, 20, 0.2, 1, 1.5));
        assertMessage("clients.ranks.high-rank = 0 is out of range: expected [1, 2147483647]",
                () -> new DataQualityRanks(5, 0, 0.2, 1, 0.1));
    }

    private static void assertMessage(String expected, Runnable build) {
        assertEquals(expected, assertThrows(ConfigError.class, build::run).getMessage());
    }
}
