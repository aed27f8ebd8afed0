package dev.fedlora.strategy.registry;

import dev.fedlora.config.ConfigError;
import dev.fedlora.config.PrivacyConfig;
import dev.fedlora.config.StrategyConfig;
import dev.fedlora.strategy.Strategy;
import dev.fedlora.strategy.fedex.FedExLora;
import dev.fedlora.strategy.fedsa.FedSaLora;
import dev.fedlora.strategy.dp.DpFedAvg;
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

    /**
     * The strategies {@code privacy.mechanism = gaussian} can wrap: their folds are plain sums of
     * uploads (a {@code NoisySum}) at one rank. Refused: zero_pad, replication_pad, hetlora (a slot's
     * divisor or a client's weight depends on the cohort's ranks or on the update's norm, and padding
     * moves unowned slots by an unclipped amount), flexlora (SVD of the summed products: the noise
     * would go on the products, not the factors) and flora (stacks modules into the base).
     */
    private static final Set<String> PRIVATIZABLE = Set.of("fedavg", "fedprox", "ffa_lora", "flasc");

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
        Strategy<?, ?, ?, ?> strategy = factory.apply(config);
        PrivacyConfig privacy = config.privacy();
        if (!privacy.enabled()) return strategy;
        if (!PRIVATIZABLE.contains(config.name())) {
            throw new ConfigError("privacy.mechanism = " + privacy.mechanism() + " does not work with strategy.name = "
                    + config.name() + "; it wraps: " + String.join(", ", new java.util.TreeSet<>(PRIVATIZABLE)));
        }
        if (strategy.clientMemory().isPresent()) {
            throw new ConfigError("privacy.mechanism = " + privacy.mechanism() + " does not work with a strategy whose"
                    + " clients keep state (strategy.flasc.error-feedback = " + config.flasc().errorFeedback()
                    + "): the state would leave the clipped update unbounded; set strategy.flasc.error-feedback = none");
        }
        return DpFedAvg.wrap(strategy, privacy.clipNorm(), privacy.noiseMultiplier(),
                privacy.expectedWeight(), config.seed());
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
