package dev.fedlora.ranks.policies;

import dev.fedlora.ranks.RankConfig;

/**
 * A rank policy that gives every client one of two ranks, {@code clients.ranks.low-rank} or
 * {@code clients.ranks.high-rank} ({@code quality}, {@code data-quality}): what follows from the
 * two ranks alone.
 */
interface TwoRankPolicy extends RankConfig {
    int lowRank();

    int highRank();

    @Override
    default int maxRank() {
        return Math.max(highRank(), lowRank());
    }

    @Override
    default boolean uniform() {
        return highRank() == lowRank();
    }

    @Override
    default String maxRankKey() {
        return highRank() >= lowRank() ? QualityRanks.HIGH_RANK : QualityRanks.LOW_RANK;
    }
}
