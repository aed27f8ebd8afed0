package dev.fedlora.config;

import com.typesafe.config.Config;
import dev.fedlora.ranks.RankConfig;
import java.io.Serializable;

/** N clients, m sampled per round, how data is split among them and which ranks they train at. */
public record ClientsConfig(int count, int perRound, PartitionConfig partition, RankConfig ranks)
        implements Serializable {
    static ClientsConfig from(Config c, RankConfigParser rankPolicies) {
        int count = Keys.intIn(c, "clients.count", 1, Integer.MAX_VALUE);
        int perRound = Keys.intIn(c, "clients.per-round", 1, Integer.MAX_VALUE);
        if (perRound > count) {
            throw new ConfigError("clients.per-round = " + perRound + " exceeds clients.count = " + count
                    + ": expected 1 <= per-round <= count");
        }
        return new ClientsConfig(count, perRound, PartitionConfig.from(c), rankPolicies.from(c));
    }
}
