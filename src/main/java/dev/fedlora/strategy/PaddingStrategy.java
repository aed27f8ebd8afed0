package dev.fedlora.strategy;

/**
 * The shared half of the rank-padding strategies: truncate on download, dense upload, weighted
 * sums per rank slot by {@code n_k}. Subclasses only say what each slot's sum is divided by.
 */
abstract class PaddingStrategy extends TruncatingStrategy {
    private static final long serialVersionUID = 1L;

    @Override
    public Accumulator zero(GlobalModel global) {
        return new PaddedSum(global.adapter().shape, global.adapter().rank);
    }

    @Override
    public GlobalModel finish(Accumulator folded, GlobalModel previous, int round) {
        PaddedSum sum = (PaddedSum) folded;
        if (sum.count() == 0) return previous;
        return new GlobalModel(sum.average((layer, slot) -> divisor(sum, slot), previous.adapter()),
                previous.serverState());
    }

    /** What rank slot {@code slot}'s weighted sum is divided by (in every layer); 0 keeps its previous value. */
    abstract double divisor(PaddedSum sum, int slot);
}
