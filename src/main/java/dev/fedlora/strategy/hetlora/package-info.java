/**
 * HetLoRA: zero-padded aggregation weighted per layer by the norm of each client's update
 * {@code ||B A||_F}, with rank self-pruning on the client and the pruned ranks kept in the server
 * state ({@code PrunedRanks}).
 */
package dev.fedlora.strategy.hetlora;
