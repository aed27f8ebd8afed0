/**
 * Checkpoints of a run: the {@link dev.fedlora.checkpoint.Checkpoint} after a round (global
 * model, rank policy, metrics rows), its file format and store
 * ({@link dev.fedlora.checkpoint.CheckpointStore}, through the Hadoop FileSystem API), and the
 * round listener that writes one every {@code output.checkpoint-every} rounds.
 */
package dev.fedlora.checkpoint;
