package dev.fedlora.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.fedlora.SyntheticData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A round's base delta reaches every Spark task as its own deserialised copy; copies with equal
 * values must share one merged model (and with it the data sets' first-layer projections), or a
 * strategy that changes the base pays the merge and the projection once per task.
 */
class BaseDeltaTest {
    private static final int[] SIZES = {5, 4, 3, 3};

    private static MlpModel model() {
        return MlpModel.of(SyntheticData.base(SIZES, new SplittableRandom(3)), MlpModel.layoutOf(5, 4, 3, 3));
    }

    private static BaseDelta delta(float fc1First) {
        Map<String, float[]> d = new LinkedHashMap<>();
        float[] fc1 = new float[4 * 5];
        fc1[0] = fc1First;
        fc1[7] = -0.25f;
        d.put("fc1", fc1);
        d.put("fc2", new float[3 * 4]);
        return new BaseDelta(d);
    }

    private static BaseDelta copyOf(BaseDelta delta) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(delta);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (BaseDelta) in.readObject();
        }
    }

    @Test
    void copiesWithEqualValuesShareOneMergedModel() throws Exception {
        MlpModel original = model();
        BaseDelta delta = delta(0.5f);
        AdaptableModel first = delta.applyTo(original);
        AdaptableModel fromCopy = copyOf(delta).applyTo(original);
        assertSame(first, fromCopy, "a deserialised copy reuses the merged model");
        float[] w = ((MlpModel) first).base().weight(0);
        assertArrayEquals(new float[] {original.base().weight(0)[0] + 0.5f, original.base().weight(0)[7] - 0.25f},
                new float[] {w[0], w[7]});
    }

    @Test
    void otherValuesOrAnotherOriginalGetTheirOwnModel() throws Exception {
        MlpModel original = model();
        AdaptableModel merged = delta(0.5f).applyTo(original);
        assertNotSame(merged, delta(0.5000001f).applyTo(original), "one value differs by an ulp");
        assertNotSame(merged, copyOf(delta(0.5f)).applyTo(model()), "an equal delta on another original");
    }

    @Test
    void onlyTheMostRecentMergesAreKept() throws Exception {
        MlpModel original = model();
        BaseDelta oldest = delta(1f);
        AdaptableModel kept = oldest.applyTo(original);
        for (int i = 2; i <= 1 + BaseDelta.RECENT; i++) delta(i).applyTo(original);
        assertNotSame(kept, copyOf(oldest).applyTo(original), "the oldest merge is no longer held");
    }
}
