package dev.fedlora.config;

import com.typesafe.config.Config;
import java.io.Serializable;

/**
 * How the training set is split into client shards: by {@code scheme} {@code dirichlet},
 * Dirichlet({@code dirichletAlpha}) label skew, a {@code highQualityFraction} of clients with
 * balanced labels, and the shard size (0 = even split); by {@code natural}, one client per natural
 * group of the data (speaker, author).
 */
public record PartitionConfig(String scheme, double dirichletAlpha, double highQualityFraction, int examplesPerClient)
        implements Serializable {
    /** The schemes {@code clients.partition.scheme} accepts. */
    public static final java.util.List<String> SCHEMES = java.util.List.of("dirichlet", "natural");

    public boolean natural() {
        return scheme.equals("natural");
    }

    static PartitionConfig from(Config c) {
        String scheme = Keys.string(c, "clients.partition.scheme");
        if (!SCHEMES.contains(scheme)) {
            throw new ConfigError("clients.partition.scheme = " + scheme + " is not one of: " + String.join(", ", SCHEMES));
        }
        return new PartitionConfig(scheme,
                Keys.doubleIn(c, "clients.partition.dirichlet-alpha", 0, true, Double.MAX_VALUE, false),
                Keys.doubleIn(c, "clients.partition.high-quality-fraction", 0, false, 1, false),
                Keys.intIn(c, "clients.partition.examples-per-client", 0, Integer.MAX_VALUE));
    }
}
