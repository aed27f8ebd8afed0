/**
 * The round loop over a {@link dev.fedlora.engine.Backend} (Spark's, or in-process), the client
 * loop every task runs with partial folds, ordered folding, evaluation, checkpoints and fault
 * injection.
 */
package dev.fedlora.engine;
