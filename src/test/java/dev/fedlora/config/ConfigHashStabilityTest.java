package dev.fedlora.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The config hash names a run's outputs: a rerun resumes the folder whose hash it matches. Keys
 * added or renamed later must leave the hash of every published config as it was (new keys at their
 * defaults are not hashed; renamed keys hash under their old names). Values recorded before the
 * adapter's model and LoRA keys were added.
 */
class ConfigHashStabilityTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "conf/hetero-rank.conf, 69265c2775678f8470a263fd33aecc204445cf444789b19e1c261ea1fb1a0336",
        "conf/flasc.conf, a935ec229e3407d23309dd78dff05ba4b1a9084c82606240ad43dca25914b824",
        "conf/flasc-budget.conf, 734edb19a3ee2e245c0ad9490ca86c7d3721378a4b6b14dc4dce6b7443115e83",
        "conf/tiers.conf, f2d99a3780659dc1a6c403b014ddf219907377d543a90ec1f9628897fcb10e80",
        "conf/bench.conf, cd76b3147aa253632222785278b3739793b3e6f2f23b0b342a17c1519ccc0ce7",
    })
    void hashOfEachShippedConfigIsUnchanged(String file, String expected) {
        assertEquals(expected, ConfigLoader.load(file, List.of()).hash());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "strategy.name = fedprox | 601787e6b5e531491516d63bbf7dca8f69356ec394d2d541f3dd138c0b51fc14",
        "strategy.name = flasc | 85c45c06049b44c537747c1a8dce4a803d4ea74f929c29eab1ba6baf33c722bd",
    })
    void hashWithOverridesIsUnchanged(String override, String expected) {
        assertEquals(expected, ConfigLoader.load("conf/hetero-rank.conf", List.of(override)).hash());
    }
}
