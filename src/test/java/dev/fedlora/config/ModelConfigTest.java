package dev.fedlora.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.model.LoraInit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The model, LoRA and data-format keys in PEFT's terms: defaults, bad values, the renamed alpha. */
class ModelConfigTest {
    private static ExperimentConfig load(String... overrides) {
        return ConfigLoader.load("conf/hetero-rank.conf", List.of(overrides));
    }

    private static String error(String... overrides) {
        return assertThrows(ConfigError.class, () -> load(overrides)).getMessage();
    }

    @Test
    void defaults() {
        ModelConfig m = load().model();
        assertEquals("mlp", m.type());
        assertEquals(List.of("head"), m.trainable());
        assertEquals(List.of(), m.loraTargets());
        assertEquals(LoraInit.GAUSSIAN, m.loraInit());
        assertEquals(20.0, m.loraAlpha(), "conf/hetero-rank.conf sets lora.alpha");
        assertEquals("idx", load().data().format());
    }

    @Test
    void settingsAreRead() {
        ModelConfig m = load("lora.targets = [fc2]", "lora.init = kaiming-uniform").model();
        assertEquals(List.of("fc2"), m.loraTargets());
        assertEquals(LoraInit.KAIMING_UNIFORM, m.loraInit());
    }

    @Test
    void badValuesNameTheKey() {
        assertTrue(error("model.type = bert").contains("model.type = bert is not one of: mlp"));
        assertTrue(error("lora.init = xavier").contains("lora.init = xavier is not one of: gaussian, kaiming-uniform"));
        assertTrue(error("data.format = csv").contains("data.format = csv is not one of: idx"));
        assertTrue(error("lora.alpha = 0").contains("lora.alpha"));
        assertTrue(error("lora.targets = fc1").contains("lora.targets"));
    }

    @Test
    void fastMathIsForTheTransformerOnlyAndHashedOnlyWhenOn() {
        assertFalse(load().model().fastMath());
        String message = error("model.fast-math = true");
        assertTrue(message.contains("model.fast-math = true") && message.contains("model.type = mlp"), message);
        String plain = load().hash();
        assertEquals(plain, load("model.fast-math = false").hash());
        String transformer = load("model.type = transformer").hash();
        assertTrue(load("model.type = transformer", "model.fast-math = true").model().fastMath());
        assertNotEquals(transformer, load("model.type = transformer", "model.fast-math = true").hash());
    }

    @Test
    void theOldAlphaKeyPointsToTheNewOne() {
        String message = error("model.lora-alpha = 8");
        assertTrue(message.contains("model.lora-alpha") && message.contains("write lora.alpha instead"), message);
    }

    @Test
    void theNewKeysChangeTheHashOnlyWhenSet() {
        String plain = load().hash();
        assertEquals(plain, load("lora.targets = []", "lora.init = gaussian", "model.type = mlp").hash());
        assertNotEquals(plain, load("lora.targets = [fc2]").hash());
        assertNotEquals(plain, load("lora.init = kaiming-uniform").hash());
        assertNotEquals(plain, load("lora.alpha = 21").hash());
    }
}
