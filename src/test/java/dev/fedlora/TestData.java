package dev.fedlora;

import dev.fedlora.data.IdxReader;
import dev.fedlora.data.LabeledImages;
import dev.fedlora.model.BaseMlp;
import dev.fedlora.model.BaseModelFile;
import dev.fedlora.pretrain.DenseMlpTrainer;
import dev.fedlora.random.Seeds;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;

/**
 * Real data for end-to-end tests (fetched into data/ by jobs/fetch-data.sh, which the Maven build
 * runs) and a small base MLP pretrained on MNIST once per test JVM.
 */
public final class TestData {
    public static final String FASHION = "data/fashion-mnist";
    public static final String MNIST = "data/mnist";
    public static final int[] SMALL_BASE_SIZES = {784, 64, 64, 10};
    private static String basePath;

    private TestData() {}

    public static void requireData() {
        if (!new File(FASHION + "/train-images-idx3-ubyte.gz").isFile() || !new File(MNIST + "/train-images-idx3-ubyte.gz").isFile()) {
            throw new IllegalStateException("test data missing: run jobs/fetch-data.sh (mvn test runs it)");
        }
    }

    /** A 784-64-64-10 MLP pretrained for two epochs on MNIST, written to a temporary .flbm file. */
    public static synchronized String smallBaseModel() {
        if (basePath != null) return basePath;
        requireData();
        try {
            Configuration conf = new Configuration();
            LabeledImages mnist = IdxReader.read("mnist", MNIST + "/train-images-idx3-ubyte.gz",
                    MNIST + "/train-labels-idx1-ubyte.gz", conf);
            DenseMlpTrainer trainer = new DenseMlpTrainer(SMALL_BASE_SIZES, Seeds.rng(5, Seeds.Purpose.PRETRAIN));
            for (int e = 0; e < 2; e++) trainer.epoch(mnist, 64, 0.05, 0.9, Seeds.rng(5, Seeds.Purpose.PRETRAIN, e + 1));
            BaseMlp base = trainer.toBaseMlp();
            Path dir = Files.createTempDirectory("fedlora-base");
            dir.toFile().deleteOnExit();
            String path = dir.resolve("small.flbm").toString();
            BaseModelFile.write(base, path, conf);
            new File(path).deleteOnExit();
            basePath = path;
            return path;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
