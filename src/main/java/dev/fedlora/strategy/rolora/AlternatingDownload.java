package dev.fedlora.strategy.rolora;

import dev.fedlora.client.TrainingSpec;
import dev.fedlora.model.Adapter;
import dev.fedlora.strategy.Download;
import dev.fedlora.strategy.Factor;
import dev.fedlora.strategy.TruncatedDownload;

/**
 * RoLoRA's download: the whole global adapter and the head, dense, with the factor this round's
 * clients train ({@code trained}); the other factor stays frozen.
 */
public record AlternatingDownload(Adapter global, Factor trained) implements Download {
    @Override
    public TrainingSpec training() {
        return TrainingSpec.PLAIN.withTrainsA(trained == Factor.A).withTrainsB(trained == Factor.B);
    }

    @Override
    public Adapter startFor(int rank) {
        return new TruncatedDownload(global).startFor(rank);
    }

    @Override
    public long bytesFor(int rank) {
        return new TruncatedDownload(global).bytesFor(rank);
    }
}
