/**
 * What happens on a client: local training of a LoRA adapter, cohort sampling and rank policies.
 */
package dev.fedlora.client;
