package dev.fedlora.config;

import com.typesafe.config.Config;
import java.io.Serializable;

/** The frozen base model file and the LoRA alpha (scale = alpha / r_max). */
public record ModelConfig(String base, double loraAlpha) implements Serializable {
    static ModelConfig from(Config c) {
        return new ModelConfig(Keys.string(c, "model.base"),
                Keys.doubleIn(c, "model.lora-alpha", 0, true, Double.MAX_VALUE, false));
    }
}
