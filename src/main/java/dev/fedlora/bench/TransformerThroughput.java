package dev.fedlora.bench;

import dev.fedlora.data.text.TokenExamples;
import dev.fedlora.model.Adapter;
import dev.fedlora.model.LoraInit;
import dev.fedlora.model.TrainableNetwork;
import dev.fedlora.model.transformer.TransformerBase;
import dev.fedlora.model.transformer.TransformerConfig;
import dev.fedlora.model.transformer.TransformerModel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Local-training throughput of the transformer on one thread: SGD steps of next-token prediction
 * with LoRA on its default targets, on a <em>random-init</em> base of the pretraining job's default
 * shape (no pretrained base is needed: the speed of a step does not depend on the weights' values)
 * and random token windows. Reports tokens per second and the GFLOP/s of the step's matrix products
 * ({@link TransformerModel#stepProducts}), for comparison with sgemm's rate.
 */
final class TransformerThroughput {
    /** The default shape of {@code fedlora pretrain-transformer}: vocabulary, context, width, heads, blocks, MLP width. */
    static final TransformerConfig DEFAULT_SHAPE = new TransformerConfig(2048, 64, 64, 4, 2, 256);

    private TransformerThroughput() {}

    /**
     * Figures of {@code steps} timed steps (after {@code warmup}) at batch {@code batch} and rank
     * {@code rank}, with the element-wise math of {@code model.fast-math = fastMath}.
     */
    static Map<String, Object> measure(TransformerConfig shape, int rank, int batch, int warmup, int steps,
                                       boolean fastMath) {
        TransformerBase base = TransformerBase.init(shape, 1);
        TransformerModel model = TransformerModel.of(base, 0, List.of(), List.of(), LoraInit.GAUSSIAN)
                .withFastMath(fastMath);
        float scale = 16f / rank;
        TrainableNetwork net = model.network(rank, scale);
        net.load(Adapter.init(model.layout(), rank, new SplittableRandom(2)));
        int seqLen = shape.contextLength();
        int windows = 8 * batch;
        SplittableRandom rng = new SplittableRandom(3);
        int[] tokens = new int[windows * seqLen];
        for (int i = 0; i < tokens.length; i++) tokens[i] = rng.nextInt(shape.vocabSize());
        TokenExamples data = new TokenExamples("random-tokens", seqLen, tokens, null, 0, null, List.of(),
                shape.vocabSize(), "random");
        int[] order = new int[windows];
        for (int i = 0; i < windows; i++) order[i] = i;
        long t0 = 0;
        for (int s = 0; s < warmup + steps; s++) {
            if (s == warmup) t0 = System.nanoTime();
            int from = (s * batch) % windows;
            net.loadBatch(data, order, from, batch);
            net.forwardBackward(batch);
            net.sgdStep(0.01, 0.9, true, 0);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double flopsPerStep = GemmBench.flopsOf(model.stepProducts(rank, batch));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("transformer_base", "random-init " + shape.vocabSize() + "v/" + seqLen + "t/" + shape.dModel() + "d/"
                + shape.heads() + "h/" + shape.layers() + "l/" + shape.dFF() + "ff");
        r.put("transformer_rank", rank);
        r.put("transformer_batch", batch);
        r.put("transformer_steps_per_sec_1t", steps / seconds);
        r.put("transformer_tokens_per_sec_1t", (double) steps * batch * seqLen / seconds);
        r.put("transformer_gflops_1t", flopsPerStep * steps / seconds / 1e9);
        return r;
    }
}
