package dev.fedlora.strategy;

import dev.fedlora.comm.Payload;
import java.io.Serializable;

/**
 * One client's contribution to a round: its upload and the weight {@code n_k} (its number of
 * training examples). Strategies normalise by the summed weight of the clients they fold.
 */
public record ClientUpdate<P extends Payload>(int clientId, int rank, long numExamples, P payload)
        implements Serializable {
    public ClientUpdate {
        if (numExamples < 1) {
            throw new IllegalArgumentException("client " + clientId + " has " + numExamples + " examples; weights need >= 1");
        }
    }
}
