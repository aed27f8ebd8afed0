package dev.fedlora.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.data.ClientShards;
import dev.fedlora.data.registry.DataFormats;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sotu-lm format on a tiny State of the Union folder whose ids are chosen by their hash
 * position: presidents with several addresses on both sides, one with a single address, one whose
 * addresses the hash all holds out, and one whose only training address is shorter than a sequence.
 */
class SotuLmFormatTest {
    private static final int T = 16;
    private static final double SHARE = 0.5;
    @TempDir
    static Path tmp;
    static String dir;
    static String tokenizerFile;
    static List<TextDocument> docs;
    static BpeTokenizer bpe;
    /** The hash-held-out address of the president all of whose addresses the hash holds out, kept in training. */
    static String keptBack;
    static String otherHeldOut;
    static int nextYear = 1790;

    @BeforeAll
    static void corpus() {
        Path folder = tmp.resolve("sotu");
        dir = folder.toString();
        SplittableRandom rng = new SplittableRandom(3);
        List<String> ids = new ArrayList<>();
        // George Washington: 2 hash-test and 2 hash-train addresses.
        for (int i = 0; i < 2; i++) ids.add(next("george_washington_n", p -> p < SHARE));
        for (int i = 0; i < 2; i++) ids.add(next("george_washington_n", p -> p >= SHARE));
        // John Adams: one address, which the hash holds out.
        ids.add(next("john_adams_f", p -> p < SHARE));
        // Jane Doe: three addresses, all held out by the hash.
        List<String> doe = new ArrayList<>();
        for (int i = 0; i < 3; i++) doe.add(next("jane_doe_d", p -> p < SHARE));
        ids.addAll(doe);
        doe.sort((a, b) -> Double.compare(DocumentSplit.position(b), DocumentSplit.position(a)));
        keptBack = doe.get(0);
        otherHeldOut = doe.get(1);
        // Tiny Tim: a training address of three words, a long held-out one.
        String shortOne = next("tiny_tim_w", p -> p >= SHARE);
        ids.add(shortOne);
        ids.add(next("tiny_tim_w", p -> p < SHARE));
        // John Roe: three addresses in training, one held out.
        for (int i = 0; i < 3; i++) ids.add(next("john_roe_r", p -> p >= SHARE));
        ids.add(next("john_roe_r", p -> p < SHARE));
        for (String id : ids) {
            String text = id.equals(shortOne) ? "Three short words." : TextFixtures.words(rng, 80 + rng.nextInt(200));
            TextFixtures.write(folder.resolve(id + ".txt"), text + "\n");
        }
        TextFixtures.write(folder.resolve("datapackage.json"), "{}");
        docs = SotuCorpus.load(dir, -1, new Configuration());
        tokenizerFile = tmp.resolve("sotu.tok").toString();
        bpe = TextFixtures.tokenizer(docs, Path.of(tokenizerFile));
    }

    /** The id of the next year's address of {@code president} whose position passes {@code side}. */
    private static String next(String president, java.util.function.DoublePredicate side) {
        while (true) {
            String id = (nextYear++) + "_" + president;
            if (side.test(DocumentSplit.position(id))) return id;
        }
    }

    private static TokenSplit read() {
        return SotuLmFormat.read(dir, tokenizerFile, T, SHARE, 0, 0, new Configuration());
    }

    @Test
    void everyPresidentKeepsATrainingAddressAndHeldOutAddressesAreNotTrained() {
        DocumentSplit.Parts parts = SotuLmFormat.split(docs, SHARE);

        Set<String> train = new HashSet<>();
        for (TextDocument d : parts.train()) train.add(d.id());
        for (TextDocument d : parts.test()) assertFalse(train.contains(d.id()), d.id());
        assertEquals(docs.size(), train.size() + parts.test().size());
        for (TextDocument d : docs) {
            assertTrue(parts.train().stream().anyMatch(t -> t.label().equals(d.label())), d.label() + " has no training address");
        }
        assertTrue(train.contains(keptBack), "the held-out address with the largest position goes back to training");
        assertFalse(train.contains(otherHeldOut));
        assertTrue(train.contains(docs.stream().filter(d -> d.label().equals("John Adams")).findFirst().orElseThrow().id()));
        for (TextDocument d : parts.test()) assertTrue(DocumentSplit.position(d.id()) < SHARE);
        assertEquals(parts.test().stream().map(TextDocument::id).sorted().toList(),
                SotuLmFormat.heldOutAddresses(dir, SHARE, new Configuration()));
        assertEquals(parts.train(), SotuLmFormat.trainingAddresses(dir, SHARE, new Configuration()));
    }

    @Test
    void groupsArePresidentsWithTrainingSequencesInFirstAddressOrder() {
        TokenSplit split = read();
        TokenExamples train = split.train();

        List<String> presidents = List.of("George Washington", "John Adams", "Jane Doe", "John Roe");
        assertEquals(presidents, train.groupNames(), "Tiny Tim's only training address is shorter than a sequence");
        assertEquals(presidents, split.test().groupNames());
        for (int size : train.groupSizes()) assertTrue(size > 0);
        ClientShards shards = ClientShards.natural(groupsOf(train), train.groups());
        assertEquals(4, shards.numClients());
        assertEquals(0, split.test().groupSizes()[1], "John Adams's only address is in training");
        assertEquals(0, train.classes());
        assertFalse(train.hasLabels());
        assertEquals(bpe.id(), train.tokenizerId());
        assertEquals(T, split.test().sequenceLength());
    }

    @Test
    void sequencesAreEachAddressWithEndOfTextCutIntoRuns() {
        TokenSplit split = read();
        DocumentSplit.Parts parts = SotuLmFormat.split(docs, SHARE);

        List<int[]> expected = new ArrayList<>();
        List<String> owners = new ArrayList<>();
        for (TextDocument d : parts.test()) {
            if (d.label().equals("Tiny Tim")) continue;
            int[] ids = bpe.encode(d.text());
            int[] withEnd = java.util.Arrays.copyOf(ids, ids.length + 1);
            withEnd[ids.length] = bpe.endOfTextId();
            for (int s = 0; s + T <= withEnd.length; s += T) {
                expected.add(java.util.Arrays.copyOfRange(withEnd, s, s + T));
                owners.add(d.label());
            }
        }
        TokenExamples test = split.test();
        assertEquals(expected.size(), test.size());
        for (int i = 0; i < test.size(); i++) {
            assertArrayEquals(expected.get(i), test.tokens(i));
            assertEquals(owners.get(i), test.groupName(test.group(i)));
        }
        int train = 0;
        for (TextDocument d : parts.train()) train += (bpe.encode(d.text()).length + 1) / T;
        assertEquals(train, split.train().size());
    }

    @Test
    void readThroughDataFormatsWithLimits() {
        DataFormats.Split split = DataFormats.read(new DataFormats.Request("sotu-lm",
                Map.of("text-dir", dir, "tokenizer", tokenizerFile, "train-images", "ignored"), T, SHARE, 7, 2),
                new Configuration());

        assertEquals(7, split.train().size());
        assertEquals(2, split.test().size());
        assertEquals(4, split.train().groups());
        assertArrayEquals(read().train().tokens(6), ((TokenExamples) split.train()).tokens(6));
    }

    @Test
    void aLargerShareHoldsOutASupersetOfASmallerOnesAddresses() {
        for (double smaller : new double[] {0.05, 0.2, 0.35}) {
            Set<String> small = new HashSet<>(SotuLmFormat.heldOutAddresses(dir, smaller, new Configuration()));
            Set<String> large = new HashSet<>(SotuLmFormat.heldOutAddresses(dir, SHARE, new Configuration()));
            assertTrue(large.containsAll(small), smaller + ": " + small + " not in " + large);
        }
        assertThrows(IllegalArgumentException.class, () -> SotuLmFormat.of(docs, bpe, T, 1.0));
    }

    private static int[] groupsOf(TokenExamples data) {
        int[] g = new int[data.size()];
        for (int i = 0; i < g.length; i++) g[i] = data.group(i);
        return g;
    }
}
