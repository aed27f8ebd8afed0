/**
 * Rank padding: clients train the first {@code r_k} rank slots of the global adapter and the
 * server sums each slot over the clients by {@code n_k}. {@code ZeroPadding} divides every slot by
 * all clients' weight, {@code ReplicationPadding} by the weight of the clients that own it, and
 * {@code FedAvg} and {@code FedProx} are the equal-rank baselines, with FedProx's proximal local
 * objective. The divisor is all a member of the family says ({@code PaddingStrategy}).
 */
package dev.fedlora.strategy.padding;
