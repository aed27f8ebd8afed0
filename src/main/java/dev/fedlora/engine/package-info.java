/**
 * The Spark engine: the round loop, executor-side client training with partial folds, ordered
 * folding on the driver, distributed evaluation, checkpoints and fault injection.
 */
package dev.fedlora.engine;
