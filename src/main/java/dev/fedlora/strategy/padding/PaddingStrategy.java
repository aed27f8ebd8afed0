package dev.fedlora.strategy.padding;

import dev.fedlora.model.AdapterLayout;
import dev.fedlora.strategy.GlobalModel;
import dev.fedlora.strategy.NoState;
import dev.fedlora.strategy.PaddedSum;
import dev.fedlora.strategy.TruncatingStrategy;

/**
 * The shared half of the rank-padding strategies: truncate on download, dense upload, weighted
 * sums per rank slot by {@code n_k}. Subclasses only say what each slot's sum is divided by.
 */
abstract class PaddingStrategy extends TruncatingStrategy<PaddedSum, NoState> {
    private static final long serialVersionUID = 1L;

    @Override
    public NoState initialState() {
        return NoState.NONE;
    }

    @Override
    public PaddedSum zero(AdapterLayout layout, int maxRank) {
        return new PaddedSum(layout, maxRank);
    }

    @Override
    public GlobalModel<NoState> finish(PaddedSum sum, GlobalModel<NoState> previous, int round) {
        if (sum.count() == 0) return previous;
        return previous.withAdapter(sum.average((target, slot) -> divisor(sum, slot), previous.adapter()));
    }

    /** What rank slot {@code slot}'s weighted sum is divided by (in every layer); 0 keeps its previous value. */
    abstract double divisor(PaddedSum sum, int slot);
}
