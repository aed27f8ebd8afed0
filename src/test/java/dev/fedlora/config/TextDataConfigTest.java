package dev.fedlora.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The text formats' data keys: defaults, parsing, ranges, the hash, the path keys each format reads. */
class TextDataConfigTest {
    private static ExperimentConfig load(String... overrides) {
        return ConfigLoader.load("conf/hetero-rank.conf", List.of(overrides));
    }

    private static String error(String... overrides) {
        return assertThrows(ConfigError.class, () -> load(overrides)).getMessage();
    }

    private static void assertNames(String expected, String... overrides) {
        String message = error(overrides);
        assertTrue(message.contains(expected), message);
    }

    @Test
    void defaults() {
        DataConfig d = load().data();
        assertEquals("data/text/brown", d.textDir());
        assertEquals("var/base/brown-bpe.tok", d.tokenizer());
        assertEquals(64, d.sequenceLength());
        assertEquals(0.2, d.testShare());
    }

    @Test
    void settingsAreRead() {
        DataConfig d = load("data.format = sotu-lm", "data.text-dir = \"data/text/sotu\"", "data.tokenizer = \"t.tok\"",
                "data.sequence-length = 128", "data.test-share = 0.1", "data.train-limit = 50").data();
        assertEquals("sotu-lm", d.format());
        assertEquals(Map.of("text-dir", "data/text/sotu", "tokenizer", "t.tok"), d.files());
        assertEquals(128, d.request().sequenceLength());
        assertEquals(0.1, d.request().testShare());
        assertEquals(50, d.request().trainLimit());
        assertEquals("brown-genre", load("data.format = brown-genre").data().format());
    }

    @Test
    void onlyTheSelectedFormatsPathsAreItsFiles() {
        assertEquals(List.of("train-images", "train-labels", "test-images", "test-labels"),
                List.copyOf(load().data().files().keySet()));
        assertEquals(List.of("text-dir", "tokenizer"), List.copyOf(load("data.format = brown-genre").data().files().keySet()));
    }

    @Test
    void badValuesNameTheKey() {
        assertNames("data.sequence-length = 0 is out of range: expected [2, 65536]", "data.sequence-length = 0");
        assertNames("data.sequence-length", "data.sequence-length = 1");
        assertNames("data.sequence-length", "data.sequence-length = 70000");
        assertNames("data.sequence-length = \"many\" has the wrong type", "data.sequence-length = many");
        assertNames("data.test-share = 0.0 is out of range: expected (0, 1)", "data.test-share = 0");
        assertNames("data.test-share", "data.test-share = 1");
        assertNames("data.test-share", "data.test-share = 1.5");
        assertNames("data.test-share", "data.test-share = -0.1");
        assertNames("data.text-dir must not be empty", "data.text-dir = \"\"");
        assertNames("data.tokenizer must not be empty", "data.tokenizer = \"\"");
        assertNames("data.format = text is not one of: idx, brown-genre, sotu-lm", "data.format = text");
        assertNames("unknown config key data.sequence-lenght", "data.sequence-lenght = 8");
    }

    @Test
    void theNewKeysChangeTheHashOnlyWhenSet() {
        String plain = load().hash();
        assertEquals(plain, load("data.text-dir = \"data/text/brown\"", "data.tokenizer = \"var/base/brown-bpe.tok\"",
                "data.sequence-length = 64", "data.test-share = 0.2", "data.format = idx").hash());
        assertNotEquals(plain, load("data.format = brown-genre").hash());
        assertNotEquals(plain, load("data.text-dir = \"data/text/sotu\"").hash());
        assertNotEquals(plain, load("data.tokenizer = \"other.tok\"").hash());
        assertNotEquals(plain, load("data.sequence-length = 32").hash());
        assertNotEquals(plain, load("data.test-share = 0.3").hash());
    }
}
