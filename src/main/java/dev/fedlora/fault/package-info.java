/**
 * Fault injection for resilience runs ({@code faults.*}): which sampled client sends a NaN or
 * huge-norm update, drops out or straggles in a round, drawn from the seed so that a retried task
 * injects the same fault.
 */
package dev.fedlora.fault;
