/**
 * Data: the IDX reader, client partitions (Dirichlet label skew, quality split, shards drawn
 * per client for populations larger than the data) and held-out client splits.
 */
package dev.fedlora.data;
