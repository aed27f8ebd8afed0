/**
 * What happens on a client: local training of a LoRA adapter, cohort sampling and rank policies.
 * Each rank policy is one class, the validated record of its config section, registered by name in
 * {@link dev.fedlora.client.RankPolicies}.
 */
package dev.fedlora.client;
