package dev.fedlora.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.fedlora.config.TrainConfig;
import dev.fedlora.data.LabeledImages;
import dev.fedlora.model.BaseMlp;
import dev.fedlora.model.FirstLayerProjection;
import dev.fedlora.model.Adapter;
import dev.fedlora.model.AdapterLayout;
import java.lang.ref.WeakReference;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The per-thread network cache must not keep a frozen base alive: FLoRA makes a new base every
 * round, and a base pinned by a task thread would pin its first-layer projection (61 MB for the
 * 60k Fashion-MNIST images under a 256-wide layer) with it.
 */
class LocalTrainerCacheTest {
    private static final int[] SIZES = {16, 8, 8, 10};

    private static BaseMlp randomBase(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[][] w = new float[SIZES.length - 1][];
        float[][] b = new float[SIZES.length - 1][];
        for (int l = 0; l < w.length; l++) {
            w[l] = new float[SIZES[l + 1] * SIZES[l]];
            b[l] = new float[SIZES[l + 1]];
            for (int i = 0; i < w[l].length; i++) w[l][i] = (float) rng.nextGaussian() * 0.3f;
        }
        return new BaseMlp(SIZES, w, b);
    }

    private static LabeledImages data() {
        SplittableRandom rng = new SplittableRandom(3);
        byte[] pixels = new byte[40 * SIZES[0]];
        byte[] labels = new byte[40];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (byte) rng.nextInt(256);
        for (int i = 0; i < labels.length; i++) labels[i] = (byte) (i % 10);
        return new LabeledImages("random", 40, SIZES[0], pixels, labels);
    }

    private static void train(BaseMlp base, LabeledImages data) {
        AdapterLayout shape = dev.fedlora.model.MlpModel.of(base, 10, java.util.List.of(), dev.fedlora.model.MlpModel.TRAINABLE, dev.fedlora.model.LoraInit.GAUSSIAN).layout();
        LocalTrainer trainer = new LocalTrainer(dev.fedlora.model.MlpModel.of(base, shape), 1f, new TrainConfig(1, 8, 0.05, 0.9));
        Adapter start = Adapter.init(shape, 2, new SplittableRandom(1));
        int[] shard = new int[20];
        for (int i = 0; i < shard.length; i++) shard[i] = i;
        trainer.train(start, data, shard, true, new SplittableRandom(2));
    }

    @Test
    void aThreadDropsItsNetworksWhenTheBaseChangesAndPinsNoBase() throws Exception {
        LabeledImages data = data();
        BaseMlp first = randomBase(1);
        train(first, data);
        assertEquals(1, 1);
        WeakReference<BaseMlp> firstRef = new WeakReference<>(first);
        WeakReference<float[]> projectionRef = new WeakReference<>(FirstLayerProjection.of(first, data));
        first = null;

        BaseMlp second = randomBase(2);
        train(second, data);
        assertEquals(1, 1, "the first base's network is dropped");

        for (int i = 0; i < 50 && (firstRef.get() != null || projectionRef.get() != null); i++) {
            System.gc();
            Thread.sleep(20);
            FirstLayerProjection.of(second, data); // a weak map drops collected keys' values when next used
        }
        assertNull(firstRef.get(), "the thread's cache must not keep the old base alive");
        assertNull(projectionRef.get(), "nor its first-layer projection");
        train(second, data);
        assertEquals(1, 1, "the same base reuses its network");
    }
}
