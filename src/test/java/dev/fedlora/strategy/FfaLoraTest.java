package dev.fedlora.strategy;

import static dev.fedlora.strategy.Adapters.f;
import static dev.fedlora.strategy.Adapters.fold;
import static dev.fedlora.strategy.Adapters.someGlobal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.fedlora.model.LoraParams;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ffa_lora from the global {@code A = [0.1 0.2 0.3; 7 8 9]}: a rank-1 client (n = 1) trains
 * {@code B = [2; 4]}, head 1s; a rank-2 client (n = 3) trains {@code B = [4 8; 0 -4]}, head 5s.
 */
class FfaLoraTest {
    private final Strategy strategy = new FfaLora();

    private LoraParams trained(int rank, float[] b, float headValue) {
        LoraParams p = strategy.download(someGlobal(), 1).startFor(rank);
        System.arraycopy(b, 0, p.b[0], 0, b.length);
        Arrays.fill(p.headW, headValue);
        Arrays.fill(p.headB, headValue);
        return p;
    }

    private ClientUpdate sent(int clientId, long numExamples, LoraParams trained) {
        Download download = strategy.download(someGlobal(), 1);
        Upload upload = strategy.upload(download, download.startFor(trained.rank), trained);
        return Adapters.update(clientId, numExamples, trained.rank, upload.payload());
    }

    private GlobalModel afterOneRound() {
        return fold(strategy, someGlobal(), List.of(
                sent(0, 1, trained(1, f(2, 4), 1)), sent(1, 3, trained(2, f(4, 8, 0, -4), 5))));
    }

    @Test
    void clientsTrainBOnly() {
        assertFalse(strategy.trainsA());
    }

    @Test
    void aNeverChanges() {
        GlobalModel next = afterOneRound();
        GlobalModel after = fold(strategy, next, List.of(sent(2, 1, trained(2, f(1, 1, 1, 1), 0))));

        assertArrayEquals(someGlobal().adapter().a[0], next.adapter().a[0]);
        assertArrayEquals(someGlobal().adapter().a[0], after.adapter().a[0]);
    }

    @Test
    void bIsTheZeroPaddedWeightedMeanAndTheHeadTheDenseOne() {
        GlobalModel next = afterOneRound();

        // column 0 = 1/4 [2 4] + 3/4 [4 0]; column 1 = 3/4 [8 -4] (the rank-1 client pads with 0)
        assertArrayEquals(f(3.5, 6, 1, -3), next.adapter().b[0]);
        assertArrayEquals(f(4, 4, 4, 4), next.adapter().headW);
        assertArrayEquals(f(4, 4), next.adapter().headB);
    }

    @Test
    void globalProductIsTheWeightedMeanOfTheClientsProducts() {
        float[] a = someGlobal().adapter().a[0];
        double[] expected = new double[6];
        LowRank.addProduct(expected, f(2, 4), a, 2, 1, 3, 0.25);
        LowRank.addProduct(expected, f(4, 8, 0, -4), a, 2, 2, 3, 0.75);
        double[] actual = new double[6];
        LowRank.addProduct(actual, afterOneRound().adapter().b[0], a, 2, 2, 3, 1);

        assertArrayEquals(expected, actual, 1e-5);
    }

    @Test
    void onlyBAndTheHeadCrossTheWire() {
        Download download = strategy.download(someGlobal(), 1);
        LoraParams rank1 = trained(1, f(2, 4), 1);

        Upload upload = strategy.upload(download, download.startFor(1), rank1);

        FactorB sent = assertInstanceOf(FactorB.class, upload.payload());
        assertEquals(1, sent.rank());
        assertArrayEquals(f(2, 4), sent.b()[0]);
        assertArrayEquals(f(1, 1, 1, 1), sent.headW());
        // B: 1 * 2 values, head: 2 * 2 + 2 values
        assertEquals(4 * (2 + 6), upload.bytes());
        assertEquals(4 * (2 + 6), download.bytesFor(1));
        assertEquals(4 * (4 + 6), download.bytesFor(2));
        assertEquals(4 * (4 + 6), strategy.upload(download, download.startFor(2), trained(2, f(4, 8, 0, -4), 5)).bytes());
    }

    @Test
    void isRegistered() {
        assertInstanceOf(FfaLora.class, Strategies.create(Adapters.config("strategy.name = ffa_lora")));
    }

    @Test
    void noUpdatesReturnThePreviousModel() {
        GlobalModel previous = someGlobal();

        assertSame(previous, strategy.finish(strategy.zero(previous), previous, 1));
    }
}
