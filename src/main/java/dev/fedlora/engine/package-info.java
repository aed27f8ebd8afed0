/**
 * The round loop over a {@link dev.fedlora.engine.Backend} (Spark's, or in-process), the client
 * loop every task runs with partial folds, ordered folding, evaluation, the experiment's inputs and
 * their path checks. Checkpoints, fault injection and the ND4J and Spark runtime are packages of
 * their own that the loop uses.
 */
package dev.fedlora.engine;
