/**
 * DP-FedAvg as a decorator of another strategy: client updates clipped in L2 norm, uniform client
 * weights, Gaussian noise on the summed update and division by the expected cohort weight.
 */
package dev.fedlora.strategy.dp;
