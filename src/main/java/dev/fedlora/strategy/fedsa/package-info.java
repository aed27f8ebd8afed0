/**
 * FedSA-LoRA: every {@code A} is shared and averaged ({@code FactorASum}), every client's {@code B}
 * stays on the client as its state ({@code PrivateB}); only {@code A} and the head travel
 * ({@code SharedADownload}, {@code FactorA}).
 */
package dev.fedlora.strategy.fedsa;
