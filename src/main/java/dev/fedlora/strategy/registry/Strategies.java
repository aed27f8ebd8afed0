package dev.fedlora.strategy.registry;

import dev.fedlora.config.ConfigError;
import dev.fedlora.config.StrategyConfig;
import dev.fedlora.strategy.Strategy;
import dev.fedlora.strategy.fedex.FedExLora;
import dev.fedlora.strategy.fedsa.FedSaLora;
import dev.fedlora.strategy.ffa.FfaLora;
import dev.fedlora.strategy.flasc.DensitySchedule;
import dev.fedlora.strategy.flasc.Flasc;
import dev.fedlora.strategy.flasc.ServerAdam;
import dev.fedlora.strategy.flasc.ServerOptimizer;
import dev.fedlora.strategy.flasc.ServerSgd;
import dev.fedlora.strategy.flexlora.FlexLora;
import dev.fedlora.strategy.flora.Flora;
import dev.fedlora.strategy.hetlora.HetLora;
import dev.fedlora.strategy.padding.FedAvg;
import dev.fedlora.strategy.padding.FedProx;
import dev.fedlora.strategy.padding.ReplicationPadding;
import dev.fedlora.strategy.padding.ZeroPadding;
import dev.fedlora.strategy.rolora.RoLora;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** The strategies selectable by {@code strategy.name}. A new strategy registers here and nowhere else. */
public final class Strategies {
    private static final Map<String, Function<StrategyConfig, Strategy<?, ?, ?, ?>>> REGISTRY = new LinkedHashMap<>();

    static {
        REGISTRY.put("zero_pad", c -> new ZeroPadding());
        REGISTRY.put("replication_pad", c -> new ReplicationPadding());
        REGISTRY.put("fedavg", c -> new FedAvg());
        REGISTRY.put("hetlora", c -> new HetLora(c.hetlora().pruneThreshold()));
        REGISTRY.put("flexlora", c -> new FlexLora());
        REGISTRY.put("flora", c -> new Flora(c.loraScale(), c.seed()));
        REGISTRY.put("ffa_lora", c -> new FfaLora());
        REGISTRY.put("flasc", Strategies::flasc);
        REGISTRY.put("fedprox", c -> new FedProx(c.fedprox().mu()));
        REGISTRY.put("fedex_lora", c -> new FedExLora(c.loraScale()));
        REGISTRY.put("rolora", c -> new RoLora());
        REGISTRY.put("fedsa_lora", c -> new FedSaLora());
    }

    private Strategies() {}

    /** The registered names, in registration order. */
    public static Set<String> names() {
        return Collections.unmodifiableSet(REGISTRY.keySet());
    }

    /** @throws ConfigError if the name is not registered; the message lists the valid names */
    public static Strategy<?, ?, ?, ?> create(StrategyConfig config) {
        Function<StrategyConfig, Strategy<?, ?, ?, ?>> factory = REGISTRY.get(config.name());
        if (factory == null) {
            throw new ConfigError("strategy.name = " + config.name() + " is not a strategy; valid: "
                    + String.join(", ", REGISTRY.keySet()));
        }
        return factory.apply(config);
    }

    private static Flasc flasc(StrategyConfig c) {
        StrategyConfig.FlascOptions f = c.flasc();
        DensitySchedule.Shape shape = DensitySchedule.Shape.named(f.schedule());
        ServerOptimizer optimizer = f.serverOptimizer().equals("adam")
                ? new ServerAdam(f.serverLearningRate(), f.adamBeta1(), f.adamBeta2(), f.adamEpsilon())
                : new ServerSgd(f.serverLearningRate());
        return new Flasc(
                new DensitySchedule(shape, f.downloadDensity(), f.finalDownloadDensity(), c.rounds()),
                new DensitySchedule(shape, f.uploadDensity(), f.finalUploadDensity(), c.rounds()),
                f.frozenMask(), optimizer, f.errorFeedback().equals("residual"));
    }
}
