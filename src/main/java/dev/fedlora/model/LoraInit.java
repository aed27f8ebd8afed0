package dev.fedlora.model;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * How each target's {@code A} starts ({@code B} always starts at zero, so the adapted model starts
 * equal to the base): config key {@code lora.init}.
 */
public enum LoraInit {
    /** {@code A ~ N(0, 1/in)}: the project's original choice. */
    GAUSSIAN("gaussian"),
    /**
     * {@code A ~ U(-1/sqrt(in), 1/sqrt(in))}: PEFT's default ({@code init_lora_weights=True}),
     * Kaiming-uniform with {@code a = sqrt(5)} on an out x in weight.
     */
    KAIMING_UNIFORM("kaiming-uniform");

    private final String key;

    LoraInit(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    /** The init called {@code key} ({@code gaussian}, {@code kaiming-uniform}), or null. */
    public static LoraInit byKey(String key) {
        for (LoraInit i : values()) if (i.key.equals(key.toLowerCase(Locale.ROOT))) return i;
        return null;
    }

    /** Fills {@code a} (r x in) with this init's draws from {@code rng}. */
    public void fill(float[] a, int in, SplittableRandom rng) {
        double bound = 1.0 / Math.sqrt(in);
        switch (this) {
            case GAUSSIAN -> {
                for (int i = 0; i < a.length; i++) a[i] = (float) (bound * Adapter.gaussian(rng));
            }
            case KAIMING_UNIFORM -> {
                for (int i = 0; i < a.length; i++) a[i] = (float) (bound * (2 * rng.nextDouble() - 1));
            }
        }
    }
}
