/**
 * What happens on a client: local training of a LoRA adapter under the download's training spec,
 * and cohort sampling.
 */
package dev.fedlora.client;
