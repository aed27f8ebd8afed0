package dev.fedlora.strategy;

import dev.fedlora.model.Adapter;
import java.io.Serializable;

/**
 * The server's state between rounds: the global adapter at the maximum rank and what the
 * strategy's server step keeps between rounds ({@link NoState#NONE} for most strategies). Never
 * sent to executors: clients get only the strategy's {@link Download}.
 *
 * @param <S> the strategy's server state
 */
public record GlobalModel<S extends Serializable>(Adapter adapter, S serverState) implements Serializable {
    public GlobalModel {
        if (serverState == null) throw new IllegalArgumentException("server state must not be null; use NoState.NONE");
    }

    /** This model's server state with another adapter. */
    public GlobalModel<S> withAdapter(Adapter next) {
        return new GlobalModel<>(next, serverState);
    }
}
