package dev.fedlora.engine;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

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
    long dropped;
    long stragglers;
    long trainNanos;
    /** Why each rejected client was rejected ("client 12: non-finite values"); at most one per sampled client. */
    final List<String> rejections = new ArrayList<>();
    /** The personalised held-out accuracy of each client that reported, in task order (personalised strategies only). */
    final List<Double> personalAccuracy = new ArrayList<>();

    void addClient(long numExamples, double meanLoss, int steps, long down, long up) {
        clients++;
        examples += numExamples;
        lossTimesExamples += meanLoss * numExamples;
        localSteps += steps;
        bytesDown += down;
        bytesUp += up;
    }

    /** A client whose upload arrived but was not folded in: both directions were sent. */
    void reject(int client, String reason, long down, long up) {
        rejected++;
        bytesDown += down;
        bytesUp += up;
        rejections.add("client " + client + ": " + reason);
    }

    /** A client that received the download and then dropped out: nothing came back. */
    void drop(long down) {
        dropped++;
        bytesDown += down;
    }

    void merge(RoundStats o) {
        clients += o.clients;
        examples += o.examples;
        lossTimesExamples += o.lossTimesExamples;
        localSteps += o.localSteps;
        bytesDown += o.bytesDown;
        bytesUp += o.bytesUp;
        rejected += o.rejected;
        dropped += o.dropped;
        stragglers += o.stragglers;
        trainNanos += o.trainNanos;
        rejections.addAll(o.rejections);
        personalAccuracy.addAll(o.personalAccuracy);
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
    public long dropped() { return dropped; }
    public long stragglers() { return stragglers; }
    public double trainSeconds() { return trainNanos / 1e9; }
    public List<String> rejections() { return rejections; }
    public List<Double> personalAccuracy() { return personalAccuracy; }
}
