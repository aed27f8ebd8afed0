package dev.fedlora.engine;

import java.io.Serializable;

/** A sampled client as shipped to an executor: its id and this round's rank. Its data is derived there. */
public record ClientSlot(int clientId, int rank) implements Serializable {}
