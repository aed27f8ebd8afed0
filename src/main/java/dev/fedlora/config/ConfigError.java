package dev.fedlora.config;

/**
 * A configuration that cannot be run. The message names the key, the value found and what was
 * expected; the job exits with code 2 before any Spark work.
 */
public final class ConfigError extends RuntimeException {
    public ConfigError(String message) {
        super(message);
    }

    public ConfigError(String message, Throwable cause) {
        super(message, cause);
    }
}
