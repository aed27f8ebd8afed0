/**
 * FlexLoRA: the server averages the clients' full products {@code B_k A_k} ({@code ProductSum}) and
 * hands each client the best rank-{@code r_k} approximation of the mean, by SVD.
 */
package dev.fedlora.strategy.flexlora;
