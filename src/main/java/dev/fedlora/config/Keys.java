package dev.fedlora.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

/** Typed, range-checked reads of config keys; every failure names the key and the value found. */
final class Keys {
    private Keys() {}

    static int intIn(Config c, String key, int min, int max) {
        long v = anyLong(c, key);
        if (v < min || v > max) throw outOfRange(key, v, "[" + min + ", " + max + "]");
        return (int) v;
    }

    static long anyLong(Config c, String key) {
        Number n = read(c, key, () -> c.getNumber(key), "an integer");
        if (n instanceof Double || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new ConfigError(key + " = " + c.getValue(key).render() + " has the wrong type: expected an integer");
        }
        return n.longValue();
    }

    static double doubleIn(Config c, String key, double min, boolean minOpen, double max, boolean maxOpen) {
        double v = read(c, key, () -> c.getDouble(key), "a number");
        boolean ok = Double.isFinite(v) && (minOpen ? v > min : v >= min) && (maxOpen ? v < max : v <= max);
        if (!ok) {
            throw outOfRange(key, v, (minOpen ? "(" : "[") + fmt(min) + ", " + fmt(max) + (maxOpen ? ")" : "]"));
        }
        return v;
    }

    static String string(Config c, String key) {
        String v = read(c, key, () -> c.getString(key), "a string");
        if (v.isBlank()) throw new ConfigError(key + " must not be empty");
        return v;
    }

    static boolean bool(Config c, String key) {
        return read(c, key, () -> c.getBoolean(key), "true or false");
    }

    static ConfigError outOfRange(String key, Object found, String expected) {
        return new ConfigError(key + " = " + found + " is out of range: expected " + expected);
    }

    private static String fmt(double v) {
        if (v == Double.MAX_VALUE || Double.isInfinite(v)) return "inf";
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private interface Reader<T> {
        T get();
    }

    private static <T> T read(Config c, String key, Reader<T> reader, String expected) {
        try {
            return reader.get();
        } catch (ConfigException.Missing e) {
            throw new ConfigError("missing config key " + key + " (expected " + expected + ")", e);
        } catch (ConfigException.WrongType | ConfigException.BadValue e) {
            String found = c.hasPathOrNull(key) && !c.getIsNull(key) ? c.getValue(key).render() : "null";
            throw new ConfigError(key + " = " + found + " has the wrong type: expected " + expected, e);
        }
    }
}
