/**
 * FFA-LoRA: every {@code A} stays frozen at its seeded initialisation ({@code FrozenADownload});
 * clients train and send only {@code B} and the dense tensors ({@code OneFactor} of {@code B}, the payload RoLoRA and FedSA-LoRA send too), which the server
 * zero-pads and averages.
 */
package dev.fedlora.strategy.ffa;
