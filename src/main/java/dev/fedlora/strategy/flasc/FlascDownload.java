package dev.fedlora.strategy.flasc;

import dev.fedlora.comm.WireSize;
import dev.fedlora.model.Adapter;
import dev.fedlora.model.AdapterLayout;
import dev.fedlora.strategy.Download;

/**
 * FLASC's download: {@code M . theta}, the global values outside the top-k mask set to zero, and
 * the round's upload density (which a client needs to sparsify its delta; not counted on the wire).
 */
public record FlascDownload(AdapterLayout layout, int rank, float[] maskedTheta, int nnz, double uploadDensity)
        implements Download {
    @Override
    public Adapter startFor(int clientRank) {
        if (clientRank != rank) {
            throw new IllegalArgumentException("flasc needs every client at rank " + rank + ", found " + clientRank);
        }
        return Adapter.unflatten(layout, rank, maskedTheta);
    }

    @Override
    public long bytesFor(int clientRank) {
        return WireSize.cheapest(nnz, maskedTheta.length);
    }
}
