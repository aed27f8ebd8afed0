package dev.fedlora.strategy;

import dev.fedlora.model.LoraParams;
import java.io.Serializable;

/**
 * The server's state between rounds: the global adapter at the maximum rank and whatever state a
 * strategy's server step keeps (for example optimizer moments), or null.
 */
public record GlobalModel(LoraParams adapter, Serializable serverState) implements Serializable {
    public GlobalModel(LoraParams adapter) {
        this(adapter, null);
    }
}
