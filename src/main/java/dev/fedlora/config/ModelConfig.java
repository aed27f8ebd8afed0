package dev.fedlora.config;

import com.typesafe.config.Config;
import dev.fedlora.model.LoraInit;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The frozen base model and its adapter, in PEFT's terms: {@code model.type} and
 * {@code model.base} (the file), {@code model.trainable} (modules to save), {@code lora.alpha}
 * (scale = alpha / r_max), {@code lora.targets} (target modules; empty = the model's default) and
 * {@code lora.init}; {@code model.fast-math} (the transformer's GELU and softmaxes in float). Which
 * names exist is the model's to check, once the base is read.
 */
public record ModelConfig(String type, String base, List<String> trainable, double loraAlpha,
                          List<String> loraTargets, LoraInit loraInit, boolean fastMath) implements Serializable {
    /** The model types {@code model.type} may name. */
    public static final List<String> TYPES = dev.fedlora.model.registry.ModelTypes.NAMES;

    static ModelConfig from(Config c) {
        String type = Keys.string(c, "model.type");
        if (!TYPES.contains(type)) {
            throw new ConfigError("model.type = " + type + " is not one of: " + String.join(", ", TYPES));
        }
        String init = Keys.string(c, "lora.init");
        LoraInit loraInit = LoraInit.byKey(init);
        if (loraInit == null) {
            throw new ConfigError("lora.init = " + init + " is not one of: "
                    + Arrays.stream(LoraInit.values()).map(LoraInit::key).collect(Collectors.joining(", ")));
        }
        boolean fastMath = Keys.bool(c, "model.fast-math");
        if (fastMath && !type.equals("transformer")) {
            throw new ConfigError("model.fast-math = true speeds up the transformer's GELU and softmaxes; model.type = "
                    + type + " has none: remove it or set model.type = transformer");
        }
        return new ModelConfig(type, Keys.string(c, "model.base"), Keys.stringList(c, "model.trainable"),
                Keys.doubleIn(c, "lora.alpha", 0, true, Double.MAX_VALUE, false),
                Keys.stringList(c, "lora.targets"), loraInit, fastMath);
    }
}
