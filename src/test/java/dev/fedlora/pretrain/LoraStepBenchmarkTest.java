package dev.fedlora.pretrain;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fedlora.kernel.OpenBlasGemm;
import dev.fedlora.model.transformer.Transformer;
import dev.fedlora.model.transformer.TransformerBase;
import dev.fedlora.model.transformer.TransformerConfig;
import dev.fedlora.model.transformer.TransformerLora;
import dev.fedlora.model.transformer.TransformerWorkspace;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Speed of the fine-tuning side at the pretraining defaults ({@link TransformerPretrainCommand#defaultConfig}):
 * one LoRA classification step (rank 8 on q and v of every layer, the 15 Brown genres, 16 passages
 * of 64 tokens, forward and backward) and one forward-only batch, on 1 thread and on 2 threads at
 * once (as local[2] runs two clients), and a language-model pretraining step for comparison. Opt-in,
 * as it takes seconds: {@code mvn test -Dtest=LoraStepBenchmarkTest -Dfedlora.tfmBench=true}.
 * The fine-tuning budget is 50 rounds x 10 clients x about 5 steps (40 to 100 passages, batch 16,
 * one epoch): about 2,500 steps.
 */
class LoraStepBenchmarkTest {
    private static final int BATCH = 16, LENGTH = 64, CLASSES = 15, RANK = 8;

    @Test
    void loraClassificationStepsPerSecond() throws Exception {
        assumeTrue(Boolean.getBoolean("fedlora.tfmBench"), "set -Dfedlora.tfmBench=true to run");
        TransformerConfig config = TransformerPretrainCommand.defaultConfig(TransformerPretrainCommand.VOCAB);
        TransformerBase base = TransformerBase.init(config, 1);
        double one = rate(base, 1, true), oneFwd = rate(base, 1, false);
        double two = rate(base, 2, true);
        System.out.printf("%s: LoRA classification step (rank %d on q, v; %d x %d tokens): %.1f steps/s on 1 thread,"
                        + " %.1f steps/s on 2 threads together; forward only %.1f batches/s on 1 thread;"
                        + " 2,500 steps on 2 threads: %.0f s%n", config, RANK, BATCH, LENGTH, one, two, oneFwd,
                2500 / two);
        Transformer lm = new Transformer(base, new OpenBlasGemm());
        TransformerWorkspace ws = lm.workspace(8, LENGTH, null);
        TransformerBase grad = TransformerBase.zeros(config);
        int[][] tokens = tokens(8, config.vocabSize(), 5);
        for (int i = 0; i < 3; i++) lm.lmForwardBackward(ws, tokens, null, null, grad);
        long t0 = System.nanoTime();
        for (int i = 0; i < 20; i++) lm.lmForwardBackward(ws, tokens, null, null, grad);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("language-model step (8 x %d tokens, full gradients): %.0f tokens/s on 1 thread%n", LENGTH,
                20 * 8 * LENGTH / seconds);
    }

    /** Steps per second summed over {@code threads} threads, each with its own model and adapter. */
    private static double rate(TransformerBase base, int threads, boolean backward) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Double>> f = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                final int seed = t;
                f.add(pool.submit(() -> {
                    Transformer model = new Transformer(base, new OpenBlasGemm());
                    TransformerLora lora = TransformerLora.init(base, base.defaultTargets(), RANK, 2f, CLASSES,
                            new SplittableRandom(seed));
                    TransformerLora grad = lora.zerosLike();
                    TransformerWorkspace ws = model.workspace(BATCH, LENGTH, lora);
                    int[][] tokens = tokens(BATCH, base.config().vocabSize(), seed);
                    int[] labels = new int[BATCH];
                    for (int b = 0; b < BATCH; b++) labels[b] = b % CLASSES;
                    int steps = 40;
                    for (int i = 0; i < 5; i++) step(model, ws, tokens, labels, lora, grad, backward);
                    long t0 = System.nanoTime();
                    for (int i = 0; i < steps; i++) step(model, ws, tokens, labels, lora, grad, backward);
                    return steps / ((System.nanoTime() - t0) / 1e9);
                }));
            }
            double sum = 0;
            for (Future<Double> x : f) sum += x.get();
            return sum;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void step(Transformer model, TransformerWorkspace ws, int[][] tokens, int[] labels, TransformerLora lora,
                             TransformerLora grad, boolean backward) {
        if (backward) model.classifyForwardBackward(ws, tokens, labels, lora, grad, null);
        else model.classifyLoss(ws, tokens, labels, lora);
    }

    private static int[][] tokens(int batch, int vocab, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[][] t = new int[batch][LENGTH];
        for (int[] row : t) for (int i = 0; i < LENGTH; i++) row[i] = rng.nextInt(vocab);
        return t;
    }
}
