/**
 * FedSA-LoRA: every {@code A} is shared and averaged ({@code FactorSum}), every client's {@code B}
 * stays on the client as its state ({@code PrivateB}); only {@code A} and the head travel
 * ({@code SharedADownload}, {@code OneFactor}).
 */
package dev.fedlora.strategy.fedsa;
