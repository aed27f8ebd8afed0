package dev.fedlora.engine;

import dev.fedlora.model.BaseMlp;
import dev.fedlora.strategy.Download;
import dev.fedlora.strategy.GlobalModel;
import java.io.Serializable;

/**
 * What is broadcast once a round: the round number, the global model, the strategy's download, and
 * the frozen base when the strategy changed it (null: the run's original base, broadcast once).
 */
public record RoundInput(int round, GlobalModel global, Download download, BaseMlp changedBase)
        implements Serializable {
    BaseMlp baseOr(BaseMlp original) {
        return changedBase == null ? original : changedBase;
    }
}
