package dev.fedlora.strategy;

/** The server state of a strategy that keeps none between rounds. */
public enum NoState {
    NONE
}
