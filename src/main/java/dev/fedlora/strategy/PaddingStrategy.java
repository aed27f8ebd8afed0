package dev.fedlora.strategy;

import dev.fedlora.model.LoraParams;

/**
 * The shared half of the rank-padding strategies: truncate on download, dense upload, weighted
 * sums per rank slot. Subclasses only say what each slot's sum is divided by.
 */
abstract class PaddingStrategy implements Strategy {
    private static final long serialVersionUID = 1L;

    @Override
    public Download download(GlobalModel global, int round) {
        return new TruncatedDownload(global.adapter());
    }

    @Override
    public Upload upload(Download received, LoraParams start, LoraParams trained) {
        return new Upload(trained, received.bytesFor(trained.rank));
    }

    @Override
    public Accumulator zero(GlobalModel global) {
        return new PaddedSum(global.adapter().shape, global.adapter().rank);
    }

    @Override
    public GlobalModel finish(Accumulator folded, GlobalModel previous) {
        PaddedSum sum = (PaddedSum) folded;
        if (sum.count() == 0) return previous;
        return new GlobalModel(sum.average(slotDivisors(sum), previous.adapter()), previous.serverState());
    }

    /** What each rank slot's weighted sum is divided by; 0 keeps the slot's previous value. */
    abstract double[] slotDivisors(PaddedSum sum);
}
