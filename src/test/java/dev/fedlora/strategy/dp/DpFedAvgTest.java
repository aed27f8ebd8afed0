package dev.fedlora.strategy.dp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.fedlora.config.ConfigError;
import dev.fedlora.model.Adapter;
import dev.fedlora.random.Seeds;
import dev.fedlora.strategy.Accumulator;
import dev.fedlora.strategy.Adapters;
import dev.fedlora.strategy.ClientUpdate;
import dev.fedlora.strategy.Download;
import dev.fedlora.strategy.GlobalModel;
import dev.fedlora.strategy.Strategy;
import dev.fedlora.strategy.padding.FedAvg;
import dev.fedlora.strategy.registry.Strategies;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * DP-FedAvg on hand-built adapters ({@link Adapters#high()}: rank 2, 16 values in the order A, B,
 * head weight, head bias): clipping, uniform weights, the expected-weight divisor and the seeded
 * noise, each against a value computed here from the formula
 * {@code theta = start + (sum_k clip(delta_k) + sigma C z) / W}.
 */
class DpFedAvgTest {
    private static final long SEED = 5;
    private static final int ROUND = 3;
    private static final Adapter GLOBAL = Adapters.high();

    private static float[] delta(double scale, int pattern) {
        float[] d = new float[GLOBAL.size()];
        for (int i = 0; i < d.length; i++) d[i] = (float) (scale * ((i * pattern) % 5 - 2));
        return d;
    }

    private static Adapter plus(Adapter start, float[] d) {
        float[] v = start.flatten();
        for (int i = 0; i < v.length; i++) v[i] += d[i];
        return Adapter.unflatten(start.layout, start.rank, v);
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) s += (double) x * x;
        return Math.sqrt(s);
    }

    /** Trains nothing: each client's trained adapter is its start plus the given delta. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static GlobalModel<?> round(Strategy strategy, long[] examples, float[]... deltas) {
        GlobalModel global = Adapters.fresh(strategy, Adapters.global(GLOBAL));
        Download download = strategy.download(global, ROUND);
        Accumulator acc = strategy.zero(GLOBAL.layout, GLOBAL.rank);
        for (int k = 0; k < deltas.length; k++) {
            Adapter start = download.startFor(GLOBAL.rank);
            acc.add(new ClientUpdate(k, GLOBAL.rank, examples[k],
                    strategy.upload(download, start, plus(start, deltas[k])).payload()));
        }
        return strategy.finish(acc, global, ROUND);
    }

    /** Box-Muller, as the noise is drawn, written out here to compute the expected noise independently. */
    private static double[] noise(int n, double stddev) {
        SplittableRandom rng = new SplittableRandom(Seeds.derive(SEED, Seeds.Purpose.DP_NOISE, ROUND));
        double[] z = new double[n];
        for (int i = 0; i < n; i++) {
            double u1 = 1.0 - rng.nextDouble();
            double u2 = rng.nextDouble();
            z[i] = stddev * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
        }
        return z;
    }

    private static float[] expected(double clip, double sigma, double weight, float[]... deltas) {
        float[] start = GLOBAL.flatten();
        double[] z = noise(start.length, sigma * clip);
        float[] out = new float[start.length];
        for (int i = 0; i < out.length; i++) {
            double sum = sigma == 0 ? 0 : z[i];
            for (float[] d : deltas) sum += d[i] * Math.min(1, clip / norm(d));
            out[i] = (float) (start[i] + sum / weight);
        }
        return out;
    }

    private static DpFedAvg<?, ?, ?, ?> fedavg(double clip, double sigma, double weight) {
        return new DpFedAvg<>(new FedAvg(), clip, sigma, weight, SEED);
    }

    @Test
    void aDeltaOfTwiceTheClipNormComesOutAtTheClipNormAndOneBelowItUnchanged() {
        float[] twice = delta(1, 3);
        double c = norm(twice) / 2;
        Adapter clipped = DpFedAvg.clip(GLOBAL, plus(GLOBAL, twice), c);
        assertEquals(c, clipped.distanceTo(GLOBAL), 1e-5 * c);
        float[] moved = clipped.flatten();
        float[] start = GLOBAL.flatten();
        for (int i = 0; i < moved.length; i++) assertEquals(start[i] + twice[i] / 2, moved[i], 1e-5, "value " + i);

        Adapter small = plus(GLOBAL, delta(0.01, 3));
        assertSame(small, DpFedAvg.clip(GLOBAL, small, c));
    }

    /** Two clients, sigma 0.7, C 1, W = m = 2, one delta over the clip norm: the noised average, noise and all. */
    @Test
    void twoClientsGetTheClippedSumPlusTheSeededNoiseOverTheExpectedWeight() {
        float[] d1 = delta(0.05, 1);
        float[] d2 = delta(0.4, 2);
        assertEquals(true, norm(d1) < 1 && norm(d2) > 1, "one delta under C, one over");
        GlobalModel<?> next = round(fedavg(1, 0.7, 2), new long[] {10, 30}, d1, d2);

        assertArrayEquals(expected(1, 0.7, 2, d1, d2), next.adapter().flatten(), 2e-5f);
        assertArrayEquals(next.adapter().flatten(), round(fedavg(1, 0.7, 2), new long[] {10, 30}, d1, d2).adapter().flatten(),
                "same seed and round, same noise");
    }

    @Test
    void clientsWeighOneEachWhateverTheirExamples() {
        float[] d1 = delta(0.05, 1);
        float[] d2 = delta(0.03, 2);
        GlobalModel<?> next = round(fedavg(1, 0, 2), new long[] {1, 99}, d1, d2);
        assertArrayEquals(expected(1, 0, 2, d1, d2), next.adapter().flatten(), 2e-5f);
    }

    /** One client of an expected 4 (Poisson, qN = 4): its delta is divided by 4, not by the 1 that reported. */
    @Test
    void theSumIsDividedByTheExpectedWeightNotTheCohort() {
        float[] d = delta(0.05, 1);
        GlobalModel<?> next = round(fedavg(1, 0, 4), new long[] {7}, d);
        assertArrayEquals(expected(1, 0, 4, d), next.adapter().flatten(), 2e-5f);
    }

    @Test
    void anEmptyCohortAddsOnlyNoise() {
        GlobalModel<?> next = round(fedavg(0.5, 2, 3), new long[0]);
        assertArrayEquals(expected(0.5, 2, 3), next.adapter().flatten(), 2e-5f);
        assertFalse(java.util.Arrays.equals(GLOBAL.flatten(), next.adapter().flatten()));
    }

    /** FFA-LoRA's A is frozen: no client can change it, so it gets no noise. */
    @Test
    void ffaLoraKeepsItsFrozenAExactly() {
        Strategy<?, ?, ?, ?> ffa = Strategies.create(Adapters.config("strategy.name = ffa_lora",
                "privacy { mechanism = gaussian, noise-multiplier = 1 }", "clients { count = 10, per-round = 2 }"));
        float[] d = delta(0.05, 1);
        for (int l = 0; l < GLOBAL.targets(); l++) {
            for (int i = 0; i < GLOBAL.a(l).length; i++) d[i] = 0;  // the A part of the flat delta (one target)
        }
        Adapter next = round(ffa, new long[] {3, 4}, d, d).adapter();
        assertArrayEquals(GLOBAL.a(0), next.a(0));
        assertFalse(java.util.Arrays.equals(GLOBAL.b(0), next.b(0)), "B moves (noise)");
    }

    /** FLASC at density 1 and server SGD at 1 is FedAvg: with privacy, the same clipped, noised average. */
    @Test
    void flascAtFullDensityIsPrivateFedAvg() {
        String privacy = "privacy { mechanism = gaussian, noise-multiplier = 0.7, sampling = fixed }";
        String clients = "clients { count = 10, per-round = 2 }";
        Strategy<?, ?, ?, ?> flasc = Strategies.create(Adapters.config("strategy.name = flasc", privacy, clients,
                "experiment.seed = " + SEED));
        float[] d1 = delta(0.05, 1);
        float[] d2 = delta(0.4, 2);
        assertArrayEquals(expected(1, 0.7, 2, d1, d2), round(flasc, new long[] {10, 30}, d1, d2).adapter().flatten(), 2e-5f);
    }

    @Test
    void strategiesWhoseFoldIsNotAPlainSumAreRefused() {
        for (String name : List.of("zero_pad", "replication_pad", "hetlora", "flexlora", "flora")) {
            ConfigError e = assertThrows(ConfigError.class, () -> Strategies.create(Adapters.config(
                    "strategy.name = " + name, "privacy { mechanism = gaussian, noise-multiplier = 1 }")));
            assertEquals(true, e.getMessage().contains("privacy.mechanism") && e.getMessage().contains(name), e.getMessage());
        }
        List<String> wrapped = new ArrayList<>();
        for (String name : List.of("fedavg", "fedprox", "ffa_lora", "flasc")) {
            Strategy<?, ?, ?, ?> s = Strategies.create(Adapters.config("strategy.name = " + name,
                    "privacy { mechanism = gaussian, noise-multiplier = 1 }"));
            if (s instanceof DpFedAvg) wrapped.add(name);
        }
        assertEquals(List.of("fedavg", "fedprox", "ffa_lora", "flasc"), wrapped);
    }
}
