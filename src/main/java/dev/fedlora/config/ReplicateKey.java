package dev.fedlora.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which runs are replicates of one another: the resolved config without the keys that only
 * label a run or pick its random draws ({@link #IGNORED}: the seed, the name, the output
 * folder and the run lock's timings). Runs whose configs agree on every other key differ only by seed, and a report averages
 * them. The key is the SHA-256 of the concise rendering, like {@link ExperimentConfig#hash()}.
 */
public final class ReplicateKey {
    /** The keys that do not make two runs different experiments. */
    public static final List<String> IGNORED = List.of("experiment.seed", "experiment.name", "output.dir");

    private ReplicateKey() {}

    /** The replicate key of a resolved config. */
    public static String of(Config resolved) {
        return ExperimentConfig.sha256(withoutIgnored(resolved).root().render(ConfigRenderOptions.concise()));
    }

    /**
     * Every setting except the {@link #IGNORED} ones, as {@code key -> value} (values rendered as
     * HOCON, e.g. {@code "zero_pad"}, {@code 0.02}, {@code [...]}), sorted by key.
     */
    public static Map<String, String> settings(Config resolved) {
        Map<String, String> settings = new TreeMap<>();
        for (Map.Entry<String, ConfigValue> e : withoutIgnored(resolved).entrySet()) {
            settings.put(e.getKey(), e.getValue().render(ConfigRenderOptions.concise()));
        }
        return settings;
    }

    /**
     * Parses a run folder's {@code config.conf} (a resolved config, as {@link ExperimentConfig#rendered()}).
     * @param source named in the error message
     * @throws ConfigError if the text is not valid HOCON
     */
    public static Config parse(String text, String source) {
        try {
            return ConfigFactory.parseString(text, ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF))
                    .resolve();
        } catch (ConfigException e) {
            throw new ConfigError("cannot parse " + source + ": " + e.getMessage(), e);
        }
    }

    private static Config withoutIgnored(Config resolved) {
        Config c = ExperimentConfig.hashed(resolved);
        for (String key : IGNORED) c = c.withoutPath(key);
        return c;
    }
}
