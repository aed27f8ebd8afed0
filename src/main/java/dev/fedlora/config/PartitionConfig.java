package dev.fedlora.config;

import com.typesafe.config.Config;
import java.io.Serializable;

/**
 * How the training set is split into client shards: Dirichlet({@code dirichletAlpha}) label skew,
 * a {@code highQualityFraction} of clients with balanced labels, and the shard size (0 = even split).
 */
public record PartitionConfig(double dirichletAlpha, double highQualityFraction, int examplesPerClient)
        implements Serializable {
    static PartitionConfig from(Config c) {
        return new PartitionConfig(
                Keys.doubleIn(c, "clients.partition.dirichlet-alpha", 0, true, Double.MAX_VALUE, false),
                Keys.doubleIn(c, "clients.partition.high-quality-fraction", 0, false, 1, false),
                Keys.intIn(c, "clients.partition.examples-per-client", 0, Integer.MAX_VALUE));
    }
}
