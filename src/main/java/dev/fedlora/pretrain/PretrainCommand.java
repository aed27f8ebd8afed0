package dev.fedlora.pretrain;

import dev.fedlora.data.IdxReader;
import dev.fedlora.data.LabeledImages;
import dev.fedlora.model.BaseModelFile;
import dev.fedlora.random.Seeds;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Pretrains the frozen base MLP on MNIST digits and writes it as a {@code .flbm} file. */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
        description = "Train the base MLP on MNIST and save it (see BaseModelFile for the format).")
public final class PretrainCommand implements Callable<Integer> {
    @Option(names = "--data", defaultValue = "data/mnist", description = "Folder with MNIST IDX files (default: ${DEFAULT-VALUE}).")
    String dataDir;

    @Option(names = "--out", defaultValue = "var/base/mnist-mlp-784-256-256-10.flbm",
            description = "Where to write the base model (default: ${DEFAULT-VALUE}).")
    String out;

    @Option(names = "--sizes", split = ",", defaultValue = "784,256,256,10", description = "Layer sizes (default: ${DEFAULT-VALUE}).")
    int[] sizes;

    @Option(names = "--epochs", defaultValue = "8") int epochs;
    @Option(names = "--batch-size", defaultValue = "64") int batch;
    @Option(names = "--learning-rate", defaultValue = "0.05") double lr;
    @Option(names = "--momentum", defaultValue = "0.9") double momentum;
    @Option(names = "--seed", defaultValue = "1") long seed;

    @Override
    public Integer call() throws Exception {
        Configuration conf = new Configuration();
        LabeledImages train = IdxReader.read("mnist-train", dataDir + "/train-images-idx3-ubyte.gz",
                dataDir + "/train-labels-idx1-ubyte.gz", conf);
        LabeledImages test = IdxReader.read("mnist-test", dataDir + "/test-images-idx3-ubyte.gz",
                dataDir + "/test-labels-idx1-ubyte.gz", conf);
        DenseMlpTrainer trainer = new DenseMlpTrainer(sizes, Seeds.rng(seed, Seeds.Purpose.PRETRAIN, 0));
        for (int e = 1; e <= epochs; e++) {
            double loss = trainer.epoch(train, batch, lr, momentum, Seeds.rng(seed, Seeds.Purpose.PRETRAIN, e));
            System.out.printf("pretrain epoch %d/%d  train loss %.4f  test accuracy %.4f%n", e, epochs, loss,
                    trainer.accuracy(test));
        }
        BaseModelFile.write(trainer.toBaseMlp(), out, conf);
        System.out.printf("wrote %s (sizes %s)%n", out, Arrays.toString(sizes));
        return 0;
    }
}
