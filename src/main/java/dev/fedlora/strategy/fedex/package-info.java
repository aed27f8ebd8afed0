/**
 * FedEx-LoRA: the factors are averaged as FedAvg does ({@code ExactSum}), and the residual between
 * the mean of the clients' products and the product of the means is merged into the frozen base
 * ({@code FedExState}), so the global model is the exact weighted mean of the clients' models.
 */
package dev.fedlora.strategy.fedex;
