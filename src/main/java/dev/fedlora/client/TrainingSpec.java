package dev.fedlora.client;

import dev.fedlora.model.BaseDelta;
import java.io.Serializable;

/**
 * How a round's clients train, carried in the strategy's download: whether every {@code A} is
 * trained (FFA-LoRA freezes them), whether every {@code B} is (RoLoRA freezes them in its
 * {@code A} rounds), the proximal weight {@code mu} of FedProx's local objective
 * {@code L_k(theta) + mu/2 ||theta - theta_start||^2} over the trainable values (0: plain local
 * training), and what the strategy has merged into the frozen base ({@link BaseDelta#NONE}: the
 * run's original base).
 */
public record TrainingSpec(boolean trainsA, boolean trainsB, double proximalMu, BaseDelta baseDelta)
        implements Serializable {
    public static final TrainingSpec PLAIN = new TrainingSpec(true, true, 0, BaseDelta.NONE);

    /** @throws IllegalArgumentException if {@code mu} is negative or not finite, or the delta is null */
    public TrainingSpec {
        if (!(proximalMu >= 0 && Double.isFinite(proximalMu))) {
            throw new IllegalArgumentException("proximal mu must be >= 0 and finite, found " + proximalMu);
        }
        if (baseDelta == null) throw new IllegalArgumentException("base delta must not be null; use BaseDelta.NONE");
    }

    public TrainingSpec withTrainsA(boolean trains) {
        return new TrainingSpec(trains, trainsB, proximalMu, baseDelta);
    }

    public TrainingSpec withTrainsB(boolean trains) {
        return new TrainingSpec(trainsA, trains, proximalMu, baseDelta);
    }

    public TrainingSpec withProximalMu(double mu) {
        return new TrainingSpec(trainsA, trainsB, mu, baseDelta);
    }

    public TrainingSpec withBaseDelta(BaseDelta delta) {
        return new TrainingSpec(trainsA, trainsB, proximalMu, delta);
    }
}
