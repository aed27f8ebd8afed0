package dev.fedlora.strategy;

import dev.fedlora.model.LoraParams;

/**
 * The download and upload most strategies share: client {@code k} receives the first {@code r_k}
 * rank slots of the global adapter and the head ({@link TruncatedDownload}), trains them, and sends
 * them back densely at the same cost.
 */
abstract class TruncatingStrategy implements Strategy {
    private static final long serialVersionUID = 1L;

    @Override
    public Download download(GlobalModel global, int round) {
        return new TruncatedDownload(global.adapter());
    }

    @Override
    public Upload upload(Download received, LoraParams start, LoraParams trained) {
        return new Upload(trained, received.bytesFor(trained.rank));
    }
}
