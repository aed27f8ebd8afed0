/**
 * FLASC: dense local training with sparse communication. The server sends a top-k masked model
 * and clients send back their top-k changes ({@code SparseSum}), each density following a
 * {@code DensitySchedule} over the rounds; the server steps along the pseudo-gradient with a
 * {@code ServerOptimizer} ({@code ServerSgd} or {@code ServerAdam}).
 */
package dev.fedlora.strategy.flasc;
