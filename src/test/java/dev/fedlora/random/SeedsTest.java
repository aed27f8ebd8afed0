package dev.fedlora.random;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fedlora.random.Seeds.Purpose;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Pins every purpose's code and derived seeds to the values the published results were made with
 * (the codes equal the enum's former {@code ordinal() + 1}), so a new purpose or a reordering can
 * never change an existing seed unnoticed.
 */
class SeedsTest {
    /**
     * derive(42, p) and derive(7, p, 3, 11), computed with the former ordinal-based formula (and,
     * for purposes added since, when they were added: CLIENT_EVAL, code 9; DP_NOISE, code 10;
     * POISSON_SAMPLE, code 11).
     */
    private static final Map<Purpose, long[]> PINNED = Map.ofEntries(
            Map.entry(Purpose.INIT, new long[] {-4767286540954276203L, 2257134468972227929L}),
            Map.entry(Purpose.PARTITION, new long[] {-2782210818173456976L, 345126008074420405L}),
            Map.entry(Purpose.RANKS, new long[] {6904877152625194467L, -822206068304101488L}),
            Map.entry(Purpose.SAMPLE, new long[] {6349198060258255764L, 2170340417214264978L}),
            Map.entry(Purpose.CLIENT_TRAIN, new long[] {4194980144257329275L, 4928836170843286468L}),
            Map.entry(Purpose.SHARD_DRAW, new long[] {-3204723601973298402L, 3889845059573856503L}),
            Map.entry(Purpose.FAULTS, new long[] {6029533247520485195L, -8507398795523372685L}),
            Map.entry(Purpose.PRETRAIN, new long[] {-5461621313036580413L, 6416726740003017851L}),
            Map.entry(Purpose.CLIENT_EVAL, new long[] {-3709119404725616778L, -1957903529382101640L}),
            Map.entry(Purpose.DP_NOISE, new long[] {588829406276287889L, -8347152908027868035L}),
            Map.entry(Purpose.POISSON_SAMPLE, new long[] {6753792419959527950L, -3578066536447925579L}));

    @Test
    void derivedSeedsAreThoseOfThePublishedResults() {
        assertEquals(PINNED.keySet(), Set.of(Purpose.values()), "every purpose must have pinned seeds");
        for (Map.Entry<Purpose, long[]> e : PINNED.entrySet()) {
            assertEquals(e.getValue()[0], Seeds.derive(42, e.getKey()), e.getKey() + " seed 42");
            assertEquals(e.getValue()[1], Seeds.derive(7, e.getKey(), 3, 11), e.getKey() + " seed 7, path 3, 11");
        }
    }

    @Test
    void codesArePermanentAndDistinct() {
        Set<Integer> codes = new HashSet<>();
        for (Purpose p : Purpose.values()) {
            assertEquals(true, codes.add(p.code()), "code " + p.code() + " of " + p + " is used twice");
        }
        assertEquals(1, Purpose.INIT.code());
        assertEquals(8, Purpose.PRETRAIN.code());
        assertEquals(9, Purpose.CLIENT_EVAL.code());
        assertEquals(10, Purpose.DP_NOISE.code());
        assertEquals(11, Purpose.POISSON_SAMPLE.code());
    }

    @Test
    void pathChangesTheSeed() {
        assertEquals(false, Seeds.derive(1, Purpose.SAMPLE, 1) == Seeds.derive(1, Purpose.SAMPLE, 2));
    }
}
