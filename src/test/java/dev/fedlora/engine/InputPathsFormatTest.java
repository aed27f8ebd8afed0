package dev.fedlora.engine;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.fedlora.config.ConfigError;
import dev.fedlora.config.ConfigLoader;
import dev.fedlora.config.ExperimentConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** InputPaths checks the path keys of the selected data format only, each as a file or a folder. */
class InputPathsFormatTest {
    @TempDir
    static Path tmp;
    static Path file;
    static Path corpus;

    @BeforeAll
    static void files() throws IOException {
        file = Files.writeString(tmp.resolve("some-file"), "x");
        corpus = Files.createDirectories(tmp.resolve("corpus"));
    }

    private static void check(String... overrides) {
        List<String> all = new ArrayList<>(List.of("model.base = \"" + file + "\"", "output.dir = \"" + tmp.resolve("runs") + "\""));
        all.addAll(List.of(overrides));
        ExperimentConfig cfg = ConfigLoader.load("conf/hetero-rank.conf", all);
        InputPaths.check(cfg, new Configuration());
    }

    private static String idxFiles() {
        return "data { train-images = \"" + file + "\", train-labels = \"" + file + "\", test-images = \"" + file
                + "\", test-labels = \"" + file + "\" }";
    }

    private static String error(String... overrides) {
        return assertThrows(ConfigError.class, () -> check(overrides)).getMessage();
    }

    @Test
    void idxDoesNotNeedTheTextPaths() {
        assertDoesNotThrow(() -> check(idxFiles(), "data.text-dir = \"" + tmp.resolve("none") + "\"",
                "data.tokenizer = \"" + tmp.resolve("none.tok") + "\""));
    }

    @Test
    void textFormatsDoNotNeedTheIdxFiles() {
        for (String format : List.of("brown-genre", "sotu-lm")) {
            assertDoesNotThrow(() -> check("data.format = " + format, "data.train-images = \"" + tmp.resolve("none.gz") + "\"",
                    "data.text-dir = \"" + corpus + "\"", "data.tokenizer = \"" + file + "\""));
        }
    }

    @Test
    void textPathsAreCheckedAsAFolderAndAFile() {
        String none = tmp.resolve("none").toString();
        assertEquals("data.text-dir = " + none + ": no such directory — run jobs/fetch-data.sh",
                error("data.format = brown-genre", "data.text-dir = \"" + none + "\"", "data.tokenizer = \"" + file + "\""));
        assertEquals("data.text-dir = " + file + ": is a file, expected a directory",
                error("data.format = sotu-lm", "data.text-dir = \"" + file + "\"", "data.tokenizer = \"" + file + "\""));
        String message = error("data.format = sotu-lm", "data.text-dir = \"" + corpus + "\"",
                "data.tokenizer = \"" + none + ".tok\"");
        assertEquals("data.tokenizer = " + none + ".tok: no such file — the transformer pretraining job"
                + " jobs/pretrain-transformer.sh writes it (a BPE tokenizer trained on the training documents)", message);
        assertEquals("data.tokenizer = " + corpus + ": is a directory, expected a file",
                error("data.format = brown-genre", "data.text-dir = \"" + corpus + "\"", "data.tokenizer = \"" + corpus + "\""));
    }
}
