/**
 * What clients remember between their rounds ({@code ClientState}), kept beside the run in
 * {@code <run>/state/} through the Hadoop FileSystem API ({@code ClientStateStore}) and found through
 * a driver-side index of where each client's latest state lies ({@code StateIndex}). Only clients
 * that have taken part have a state, and a round touches the states of its sampled clients only: its
 * cost grows with the cohort, never with the clients that hold state.
 */
package dev.fedlora.state;
