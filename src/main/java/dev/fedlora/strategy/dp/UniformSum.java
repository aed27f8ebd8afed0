package dev.fedlora.strategy.dp;

import dev.fedlora.comm.Payload;
import dev.fedlora.strategy.Accumulator;
import dev.fedlora.strategy.ClientUpdate;
import dev.fedlora.strategy.NoisySum;

/**
 * The wrapped strategy's fold with every client at weight 1 instead of its {@code n_k}: a
 * client's influence on the sum is then its clipped delta alone, whatever its data size.
 */
public final class UniformSum<P extends Payload, A extends Accumulator<P, A> & NoisySum>
        implements Accumulator<P, UniformSum<P, A>> {
    private static final long serialVersionUID = 1L;

    final A inner;

    UniformSum(A inner) {
        this.inner = inner;
    }

    @Override
    public void add(ClientUpdate<? extends P> update) {
        inner.add(new ClientUpdate<>(update.clientId(), update.rank(), 1, update.payload()));
    }

    @Override
    public void merge(UniformSum<P, A> other) {
        inner.merge(other.inner);
    }

    @Override
    public int count() {
        return inner.count();
    }
}
