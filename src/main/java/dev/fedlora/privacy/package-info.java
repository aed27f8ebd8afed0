/**
 * Privacy accounting for DP-FedAvg: the Rényi DP of the sampled Gaussian mechanism, its composition
 * over rounds, its conversion to (epsilon, delta), and the noise multiplier that meets a budget.
 * Depends on nothing else in the project.
 */
package dev.fedlora.privacy;
