package dev.fedlora.strategy;

import dev.fedlora.comm.Payload;
import java.io.Serializable;

/** What a client sends back, and its exact size on the wire. */
public record Upload<P extends Payload>(P payload, long bytes) implements Serializable {}
