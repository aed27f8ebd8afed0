package dev.fedlora.strategy;

import dev.fedlora.model.Adapter;
import java.io.Serializable;

/**
 * The download and upload most strategies share: client {@code k} receives the first {@code r_k}
 * rank slots of the global adapter and the head ({@link TruncatedDownload}), trains them, and sends
 * them back densely at the same cost. The base of the padding strategies, HetLoRA and FlexLoRA,
 * which say only how uploads fold.
 *
 * @param <A> the strategy's fold over dense uploads
 * @param <S> the strategy's server state
 */
public abstract class TruncatingStrategy<A extends Accumulator<Adapter, A>, S extends Serializable>
        implements Strategy<TruncatedDownload, Adapter, A, S> {
    private static final long serialVersionUID = 1L;

    @Override
    public TruncatedDownload download(GlobalModel<S> global, int round) {
        return new TruncatedDownload(global.adapter());
    }

    @Override
    public Upload<Adapter> upload(TruncatedDownload received, Adapter start, Adapter trained) {
        return new Upload<>(trained, received.bytesFor(trained.rank));
    }
}
