package dev.fedlora.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class BpeTrainerTest {
    private static final int U = 'u', G = 'g', N = 'n', H = 'h', P = 'p', S = 's', B = 'b';

    /**
     * hug x10, pug x5, pun x12, bun x4, hugs x5. Pair counts: u g 20, p u 17, u n 16, h u 15, g s 5,
     * b u 4, so "ug" (256) first; then u n 16 makes "un" (257); h ug 15 "hug" (258); p un 12 "pun"
     * (259); then p ug and hug s tie at 5 and "hug" < "p" byte-wise, so "hugs" (260) before "pug"
     * (261); last b un 4, "bun" (262).
     */
    @Test
    void handComputedMerges() {
        Map<String, Long> counts = Map.of("hug", 10L, "pug", 5L, "pun", 12L, "bun", 4L, "hugs", 5L);

        int[][] merges = BpeTrainer.learn(counts, 100, 1);

        int[][] expected = {{U, G}, {U, N}, {H, 256}, {P, 257}, {258, S}, {P, 256}, {B, 257}};
        assertEquals(expected.length, merges.length);
        for (int i = 0; i < expected.length; i++) assertArrayEquals(expected[i], merges[i], "merge " + i);
    }

    @Test
    void minPairCountAndMaxMergesStopTraining() {
        Map<String, Long> counts = Map.of("hug", 10L, "pug", 5L, "pun", 12L, "bun", 4L, "hugs", 5L);

        assertEquals(6, BpeTrainer.learn(counts, 100, 5).length);
        assertEquals(3, BpeTrainer.learn(counts, 3, 1).length);
        assertEquals(0, BpeTrainer.learn(counts, 100, 21).length);
    }

    /** After "ab" (256) the pairs (ab, d) and (b, d) tie at 2: bytes "ab" < "b", though id 256 > 98. */
    @Test
    void tiesCompareTokenBytesNotIds() {
        Map<String, Long> counts = Map.of("ab", 10L, "abd", 2L, "bd", 2L);

        int[][] merges = BpeTrainer.learn(counts, 2, 1);

        assertArrayEquals(new int[] {'a', 'b'}, merges[0]);
        assertArrayEquals(new int[] {256, 'd'}, merges[1]);
    }

    @Test
    void overlappingRunsMergeLeftToRight() {
        int[][] merges = BpeTrainer.learn(Map.of("aaa", 3L), 5, 1);

        // a a counts 2 x 3 = 6 -> "aa" a; then (aa, a) 3 -> "aaa"
        assertEquals(2, merges.length);
        assertArrayEquals(new int[] {'a', 'a'}, merges[0]);
        assertArrayEquals(new int[] {256, 'a'}, merges[1]);
    }

    @Test
    void incrementalCountsEqualARecountBeforeEveryMerge() {
        SplittableRandom rng = new SplittableRandom(11);
        Map<String, Long> counts = new HashMap<>();
        for (int i = 0; i < 1500; i++) {
            String word = (rng.nextInt(3) == 0 ? " " : "") + randomWord(rng);
            counts.merge(word, (long) (1 + rng.nextInt(rng.nextInt(50) + 1)), Long::sum);
        }

        int[][] fast = BpeTrainer.learn(counts, 400, 2);
        int[][] reference = ReferenceBpe.learn(counts, 400, 2);

        assertEquals(reference.length, fast.length);
        for (int i = 0; i < reference.length; i++) assertArrayEquals(reference[i], fast[i], "merge " + i);
    }

    @Test
    void wordOrderDoesNotMatter() {
        Map<String, Long> sorted = new TreeMap<>(Map.of("low", 5L, "lower", 2L, "newest", 6L, "widest", 3L));
        Map<String, Long> reversed = new LinkedHashMap<>();
        List<String> words = new ArrayList<>(sorted.keySet());
        Collections.reverse(words);
        words.forEach(w -> reversed.put(w, sorted.get(w)));

        assertSameMerges(BpeTrainer.learn(sorted, 50, 1), BpeTrainer.learn(reversed, 50, 1));
    }

    @Test
    void badArguments() {
        assertThrows(IllegalArgumentException.class, () -> BpeTrainer.learn(Map.of("a", 1L), -1, 1));
        assertThrows(IllegalArgumentException.class, () -> BpeTrainer.learn(Map.of("a", 1L), 1, 0));
        assertThrows(IllegalArgumentException.class, () -> BpeTrainer.learn(Map.of("ab", -1L), 1, 1));
    }

    private static void assertSameMerges(int[][] a, int[][] b) {
        assertEquals(Arrays.deepToString(a), Arrays.deepToString(b));
    }

    private static String randomWord(SplittableRandom rng) {
        String[] alphabet = {"a", "b", "c", "d", "e", "é", "ß", "中", "文", "😀", "1", "."};
        StringBuilder w = new StringBuilder();
        int n = 1 + rng.nextInt(8);
        for (int i = 0; i < n; i++) w.append(alphabet[rng.nextInt(rng.nextBoolean() ? 5 : alphabet.length)]);
        return w.toString();
    }

    /** The plain algorithm: recount every pair of every word before every merge. */
    static final class ReferenceBpe {
        static int[][] learn(Map<String, Long> counts, int maxMerges, long minPairCount) {
            List<byte[]> tokens = new ArrayList<>();
            for (int b = 0; b < 256; b++) tokens.add(new byte[] {(byte) b});
            List<List<Integer>> words = new ArrayList<>();
            List<Long> weights = new ArrayList<>();
            counts.forEach((word, count) -> {
                List<Integer> symbols = new ArrayList<>();
                for (byte b : word.getBytes(StandardCharsets.UTF_8)) symbols.add(b & 0xff);
                words.add(symbols);
                weights.add(count);
            });
            List<int[]> merges = new ArrayList<>();
            while (merges.size() < maxMerges) {
                Map<List<Integer>, Long> pairs = new HashMap<>();
                for (int w = 0; w < words.size(); w++) {
                    List<Integer> s = words.get(w);
                    for (int i = 0; i + 1 < s.size(); i++) pairs.merge(List.of(s.get(i), s.get(i + 1)), weights.get(w), Long::sum);
                }
                List<Integer> best = null;
                long bestCount = 0;
                for (Map.Entry<List<Integer>, Long> e : pairs.entrySet()) {
                    if (best == null || e.getValue() > bestCount
                            || (e.getValue() == bestCount && smaller(tokens, e.getKey(), best))) {
                        best = e.getKey();
                        bestCount = e.getValue();
                    }
                }
                if (best == null || bestCount < minPairCount) break;
                int a = best.get(0), b = best.get(1), z = tokens.size();
                byte[] joined = Arrays.copyOf(tokens.get(a), tokens.get(a).length + tokens.get(b).length);
                System.arraycopy(tokens.get(b), 0, joined, tokens.get(a).length, tokens.get(b).length);
                tokens.add(joined);
                merges.add(new int[] {a, b});
                for (List<Integer> s : words) {
                    for (int i = 0; i + 1 < s.size(); i++) {
                        if (s.get(i) == a && s.get(i + 1) == b) {
                            s.set(i, z);
                            s.remove(i + 1);
                        }
                    }
                }
            }
            return merges.toArray(new int[0][]);
        }

        private static boolean smaller(List<byte[]> tokens, List<Integer> x, List<Integer> y) {
            int c = Arrays.compareUnsigned(tokens.get(x.get(0)), tokens.get(y.get(0)));
            if (c == 0) c = Arrays.compareUnsigned(tokens.get(x.get(1)), tokens.get(y.get(1)));
            if (c == 0) c = Integer.compare(x.get(0), y.get(0));
            if (c == 0) c = Integer.compare(x.get(1), y.get(1));
            return c < 0;
        }
    }
}
