package dev.fedlora.strategy;

import dev.fedlora.model.BaseMlp;
import dev.fedlora.model.LoraParams;
import java.io.Serializable;

/**
 * An aggregation strategy in two halves: what clients get ({@link #download}) and how their
 * updates combine ({@link #upload} on the client, then an {@link Accumulator} folded by
 * {@link #zero}, add, merge and {@link #finish}). Pure functions of their arguments; nothing here
 * knows about Spark.
 */
public interface Strategy extends Serializable {
    /** Server side, once a round: the payload broadcast to this round's clients. */
    Download download(GlobalModel global, int round);

    /** Client side: encodes the trained adapter of a client that received {@code received}. */
    Upload upload(Download received, LoraParams start, LoraParams trained);

    Accumulator zero(GlobalModel global);

    /**
     * The next global model; with no updates folded in, the previous one unchanged.
     *
     * @param round the round whose updates were folded: its clients received {@code download(previous, round)}
     */
    GlobalModel finish(Accumulator folded, GlobalModel previous, int round);

    /**
     * The frozen base this round's clients train on and the global model is evaluated with: the
     * original unless the strategy merges updates into the base (FLoRA).
     */
    default BaseMlp frozenBase(BaseMlp original, GlobalModel global) {
        return original;
    }

    /**
     * The rank client {@code client} trains at this round, given the rank its rank policy assigns;
     * a strategy that adapts ranks (for example by rank self-pruning) keeps what it needs in the
     * global model's server state.
     */
    default int rankFor(int client, int policyRank, GlobalModel global) {
        return policyRank;
    }

    /** True when every client must train at the same rank. */
    default boolean requiresEqualRanks() {
        return false;
    }

    /** False when clients keep every {@code A} frozen. */
    default boolean trainsA() {
        return true;
    }
}
