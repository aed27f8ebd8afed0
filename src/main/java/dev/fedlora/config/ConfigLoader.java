package dev.fedlora.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads an experiment: the HOCON file, then {@code key=value} overrides from the command line, on
 * top of the defaults in {@code fedlora-defaults.conf}. A key the defaults do not have is an error
 * (a typo must not be silently ignored).
 */
public final class ConfigLoader {
    private static final String DEFAULTS = "fedlora-defaults.conf";

    private ConfigLoader() {}

    public static Config defaults() {
        return ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), DEFAULTS,
                ConfigParseOptions.defaults().setAllowMissing(false));
    }

    /** @throws ConfigError for a missing or unparsable file, a bad override, an unknown key or a bad value */
    public static ExperimentConfig load(String file, List<String> overrides) {
        return ExperimentConfig.from(resolve(file, overrides));
    }

    /** The merged, resolved config (overrides, then file, then defaults), keys checked. */
    public static Config resolve(String file, List<String> overrides) {
        Config defaults = defaults();
        Config fromFile = parseFile(file);
        checkKnown(fromFile, defaults, file);
        Config merged = fromFile;
        for (String override : overrides) {
            Config o = parseOverride(override);
            checkKnown(o, defaults, "override '" + override + "'");
            merged = o.withFallback(merged);
        }
        try {
            return merged.withFallback(defaults).resolve();
        } catch (ConfigException e) {
            throw new ConfigError("cannot resolve " + file + ": " + e.getMessage(), e);
        }
    }

    private static Config parseFile(String file) {
        File f = new File(file);
        if (!f.isFile()) throw new ConfigError("config file not found: " + file);
        try {
            return ConfigFactory.parseFile(f, ConfigParseOptions.defaults()
                    .setSyntax(ConfigSyntax.CONF).setAllowMissing(false));
        } catch (ConfigException e) {
            throw new ConfigError("cannot parse config " + file + ": " + e.getMessage(), e);
        }
    }

    static Config parseOverride(String override) {
        int eq = override.indexOf('=');
        if (eq <= 0) throw new ConfigError("override '" + override + "' must look like key=value");
        try {
            return ConfigFactory.parseString(override, ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF));
        } catch (ConfigException e) {
            throw new ConfigError("cannot parse override '" + override + "': " + e.getMessage(), e);
        }
    }

    /** Keys that were renamed, with their new names, so an old config gets a pointed message. */
    private static final Map<String, String> RENAMED = Map.of("model.lora-alpha", "lora.alpha");

    private static void checkKnown(Config given, Config defaults, String source) {
        for (Map.Entry<String, ConfigValue> e : given.entrySet()) {
            String key = e.getKey();
            if (RENAMED.containsKey(key)) {
                throw new ConfigError(key + " in " + source + " was renamed: write " + RENAMED.get(key) + " instead");
            }
            if (!known(defaults, key)) {
                throw new ConfigError("unknown config key " + key + " in " + source + "; valid keys"
                        + near(key, defaults) + ": " + String.join(", ", siblings(key, defaults)));
            }
            if (isSection(defaults, key)) {
                throw new ConfigError(key + " = " + e.getValue().render() + " in " + source
                        + " must be a section with keys: " + String.join(", ", siblings(key + ".x", defaults)));
            }
        }
    }

    private static boolean known(Config defaults, String key) {
        try {
            return defaults.hasPathOrNull(key);
        } catch (ConfigException e) {
            return false;
        }
    }

    private static boolean isSection(Config defaults, String key) {
        return !defaults.getIsNull(key) && defaults.getValue(key).valueType() == ConfigValueType.OBJECT;
    }

    private static String near(String key, Config defaults) {
        String parent = parentOf(key, defaults);
        return parent.isEmpty() ? "" : " under " + parent;
    }

    private static String parentOf(String key, Config defaults) {
        String p = key;
        while (p.contains(".")) {
            p = p.substring(0, p.lastIndexOf('.'));
            if (known(defaults, p) && isSection(defaults, p)) return p;
        }
        return "";
    }

    private static TreeSet<String> siblings(String key, Config defaults) {
        String parent = parentOf(key, defaults);
        Config scope = parent.isEmpty() ? defaults : defaults.getConfig(parent);
        TreeSet<String> names = new TreeSet<>();
        for (String k : scope.root().keySet()) names.add(parent.isEmpty() ? k : parent + "." + k);
        return names;
    }
}
