/**
 * RoLoRA: rounds alternate between training {@code B} with every {@code A} frozen (odd rounds) and
 * {@code A} with every {@code B} frozen (even rounds) ({@code Factor}, {@code AlternatingDownload});
 * clients send only the trained factor and the dense tensors ({@code OneFactor}), which the server
 * averages ({@code FactorSum}).
 */
package dev.fedlora.strategy.rolora;
