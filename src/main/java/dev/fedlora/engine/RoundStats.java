package dev.fedlora.engine;

import java.io.Serializable;

/** Per-round client statistics, summed like the strategy's accumulator (associative, in a fixed order). */
public final class RoundStats implements Serializable {
    private static final long serialVersionUID = 1L;

    long clients;
    long examples;
    double lossTimesExamples;
    long localSteps;
    long bytesDown;
    long bytesUp;
    long rejected;

    void addClient(long numExamples, double meanLoss, int steps, long down, long up) {
        clients++;
        examples += numExamples;
        lossTimesExamples += meanLoss * numExamples;
        localSteps += steps;
        bytesDown += down;
        bytesUp += up;
    }

    void merge(RoundStats o) {
        clients += o.clients;
        examples += o.examples;
        lossTimesExamples += o.lossTimesExamples;
        localSteps += o.localSteps;
        bytesDown += o.bytesDown;
        bytesUp += o.bytesUp;
        rejected += o.rejected;
    }

    /** Mean local training loss over the round's clients, weighted by their examples. */
    public double meanTrainLoss() {
        return examples == 0 ? Double.NaN : lossTimesExamples / examples;
    }

    public long clients() { return clients; }
    public long localSteps() { return localSteps; }
    public long bytesDown() { return bytesDown; }
    public long bytesUp() { return bytesUp; }
    public long rejected() { return rejected; }
}
