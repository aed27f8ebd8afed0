/**
 * The strategy contract: a {@link dev.fedlora.strategy.Strategy} is a download (what a client
 * gets, {@link dev.fedlora.strategy.Download}) plus an associative fold
 * ({@link dev.fedlora.strategy.Accumulator}: zero, add, merge, finish) over
 * {@link dev.fedlora.strategy.ClientUpdate}s into the next {@link dev.fedlora.strategy.GlobalModel},
 * with no dependency on Spark. Here too are the pieces several families share:
 * {@link dev.fedlora.strategy.TruncatingStrategy} with its
 * {@link dev.fedlora.strategy.TruncatedDownload}, the folds {@link dev.fedlora.strategy.PaddedSum}
 * and {@link dev.fedlora.strategy.DenseSum}, and the factor math of
 * {@link dev.fedlora.strategy.LowRank}.
 *
 * <p>Each family of strategies is a subpackage that depends on this one and on no other family;
 * {@code strategy.registry} selects them by {@code strategy.name}.
 */
package dev.fedlora.strategy;
