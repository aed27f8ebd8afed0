package dev.fedlora.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

/**
 * Typed, range-checked reads of config keys; every failure names the key and the value found.
 * Public for the config sections that live next to what they configure (the rank policies): those
 * read their values with the {@code any*} methods and check them with {@code requireIn} in their
 * records' constructors.
 */
public final class Keys {
    private Keys() {}

    public static int intIn(Config c, String key, int min, int max) {
        return requireIn(key, anyLong(c, key), min, max);
    }

    /** An integer that fits an {@code int}; its range is the caller's to check. */
    public static int anyInt(Config c, String key) {
        return requireIn(key, anyLong(c, key), Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    public static long anyLong(Config c, String key) {
        Number n = read(c, key, () -> c.getNumber(key), "an integer");
        if (n instanceof Double || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new ConfigError(key + " = " + c.getValue(key).render() + " has the wrong type: expected an integer");
        }
        return n.longValue();
    }

    /** @throws ConfigError naming {@code key} unless {@code min <= value <= max} */
    public static int requireIn(String key, long value, int min, int max) {
        if (value < min || value > max) throw outOfRange(key, value, "[" + min + ", " + max + "]");
        return (int) value;
    }

    public static double doubleIn(Config c, String key, double min, boolean minOpen, double max, boolean maxOpen) {
        return requireIn(key, anyDouble(c, key), min, minOpen, max, maxOpen);
    }

    /** A number; its range is the caller's to check. */
    public static double anyDouble(Config c, String key) {
        return read(c, key, () -> c.getDouble(key), "a number");
    }

    /**
     * @throws ConfigError naming {@code key} unless {@code value} is finite and within the bounds,
     *     each open or closed
     */
    public static double requireIn(String key, double value, double min, boolean minOpen, double max, boolean maxOpen) {
        boolean ok = Double.isFinite(value) && (minOpen ? value > min : value >= min)
                && (maxOpen ? value < max : value <= max);
        if (!ok) {
            throw outOfRange(key, value, (minOpen ? "(" : "[") + fmt(min) + ", " + fmt(max) + (maxOpen ? ")" : "]"));
        }
        return value;
    }

    public static String string(Config c, String key) {
        String v = read(c, key, () -> c.getString(key), "a string");
        if (v.isBlank()) throw new ConfigError(key + " must not be empty");
        return v;
    }

    /** A list of non-empty strings (possibly empty itself). */
    public static java.util.List<String> stringList(Config c, String key) {
        java.util.List<String> v = read(c, key, () -> c.getStringList(key), "a list of strings");
        for (String s : v) {
            if (s.isBlank()) throw new ConfigError(key + " = " + c.getValue(key).render() + " must not hold an empty name");
        }
        return java.util.List.copyOf(v);
    }

    public static boolean bool(Config c, String key) {
        return read(c, key, () -> c.getBoolean(key), "true or false");
    }

    public static ConfigError outOfRange(String key, Object found, String expected) {
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
