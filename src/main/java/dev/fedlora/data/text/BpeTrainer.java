package dev.fedlora.data.text;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Learns byte-level BPE merges from word counts (Sennrich et al., "Neural Machine Translation of
 * Rare Words with Subword Units", ACL 2016; on bytes as in GPT-2). Every word starts as its UTF-8
 * bytes (tokens 0..255). Each step merges the adjacent token pair with the highest count, summed
 * over all positions of all words weighted by the word's count (so {@code aaa} counts the pair
 * {@code a a} twice); ties go to the lexicographically smallest pair, comparing the left tokens'
 * bytes, then the right tokens' bytes (unsigned), then the token ids. The merged token gets the
 * next id, and every word replaces the pair's occurrences left to right without overlap. Training
 * stops after the requested merges, or earlier when no pair occurs {@code minPairCount} times.
 *
 * <p>Pair counts are kept up to date incrementally: a merge revisits only the words that hold the
 * pair (an index from pair to words), subtracts their old pairs and adds their new ones, and pushes
 * the changed counts onto a priority queue whose outdated entries are skipped when they surface.
 * The result equals recounting every pair before every merge (the tests check this against such a
 * reference), but costs time proportional to the words a merge touches.
 */
final class BpeTrainer {
    private final int[][] words;
    private final int[] lengths;
    private final long[] counts;
    private final int[] visited;
    private final List<byte[]> tokenBytes = new ArrayList<>();
    private final HashMap<Long, PairStat> pairs = new HashMap<>();
    private final PriorityQueue<Candidate> queue = new PriorityQueue<>(this::compare);
    private final List<int[]> merges = new ArrayList<>();

    /** A pair's running count and the words it has occurred in (possibly no longer, and repeated). */
    private static final class PairStat {
        final int left;
        final int right;
        long count;
        int[] words = new int[4];
        int size;

        PairStat(int left, int right) {
            this.left = left;
            this.right = right;
        }

        void addWord(int word) {
            if (size > 0 && words[size - 1] == word) return;
            if (size == words.length) words = Arrays.copyOf(words, size * 2);
            words[size++] = word;
        }
    }

    /** A pair's count when it was queued; outdated once the count changes. */
    private record Candidate(PairStat pair, long count) {}

    private BpeTrainer(Map<String, Long> wordCounts) {
        List<String> sorted = new ArrayList<>(wordCounts.keySet());
        sorted.sort(null);
        words = new int[sorted.size()][];
        lengths = new int[sorted.size()];
        counts = new long[sorted.size()];
        visited = new int[sorted.size()];
        for (int b = 0; b < 256; b++) tokenBytes.add(new byte[] {(byte) b});
        for (int w = 0; w < sorted.size(); w++) {
            long count = wordCounts.get(sorted.get(w));
            if (count < 0) throw new IllegalArgumentException("word count must be >= 0, found " + count
                    + " for '" + sorted.get(w) + "'");
            byte[] bytes = sorted.get(w).getBytes(StandardCharsets.UTF_8);
            words[w] = new int[bytes.length];
            for (int i = 0; i < bytes.length; i++) words[w][i] = bytes[i] & 0xff;
            lengths[w] = bytes.length;
            counts[w] = count;
            for (int i = 0; i + 1 < bytes.length; i++) {
                PairStat p = stat(words[w][i], words[w][i + 1]);
                p.count += count;
                p.addWord(w);
            }
        }
        for (PairStat p : pairs.values()) queue.add(new Candidate(p, p.count));
    }

    /**
     * The merges, in order: merge {@code i} joins the tokens {@code [i][0]} and {@code [i][1]} into
     * token {@code 256 + i}.
     *
     * @param wordCounts how often each word (pre-tokenised piece) occurs; order does not matter
     * @param maxMerges how many merges to learn at most
     * @param minPairCount the least count a pair needs to be merged, at least 1
     */
    static int[][] learn(Map<String, Long> wordCounts, int maxMerges, long minPairCount) {
        if (maxMerges < 0) throw new IllegalArgumentException("maxMerges must be >= 0, found " + maxMerges);
        if (minPairCount < 1) throw new IllegalArgumentException("minPairCount must be >= 1, found " + minPairCount);
        BpeTrainer trainer = new BpeTrainer(wordCounts);
        while (trainer.merges.size() < maxMerges) {
            PairStat best = trainer.best();
            if (best == null || best.count < minPairCount) break;
            trainer.merge(best);
        }
        return trainer.merges.toArray(new int[0][]);
    }

    private PairStat best() {
        Candidate c;
        while ((c = queue.poll()) != null) {
            if (c.count == c.pair.count && c.count > 0) return c.pair;
        }
        return null;
    }

    private void merge(PairStat pair) {
        int a = pair.left;
        int b = pair.right;
        int z = tokenBytes.size();
        byte[] left = tokenBytes.get(a);
        byte[] right = tokenBytes.get(b);
        byte[] joined = Arrays.copyOf(left, left.length + right.length);
        System.arraycopy(right, 0, joined, left.length, right.length);
        tokenBytes.add(joined);
        merges.add(new int[] {a, b});
        int stamp = merges.size();

        HashMap<Long, long[]> delta = new HashMap<>();
        int[] occurrences = pair.words;
        int n = pair.size;
        for (int k = 0; k < n; k++) {
            int w = occurrences[k];
            if (visited[w] == stamp) continue;
            visited[w] = stamp;
            rewrite(w, a, b, z, delta);
        }
        for (Map.Entry<Long, long[]> e : delta.entrySet()) {
            long change = e.getValue()[0];
            if (change == 0) continue;
            PairStat p = pairs.get(e.getKey());
            p.count += change;
            if (p.count == 0) {
                pairs.remove(e.getKey());
            } else {
                queue.add(new Candidate(p, p.count));
            }
        }
    }

    /** Replaces (a, b) by z in word w and records how its pairs' counts change. */
    private void rewrite(int w, int a, int b, int z, HashMap<Long, long[]> delta) {
        int[] sym = words[w];
        int len = lengths[w];
        boolean found = false;
        for (int i = 0; i + 1 < len && !found; i++) found = sym[i] == a && sym[i + 1] == b;
        if (!found) return;
        long count = counts[w];
        for (int i = 0; i + 1 < len; i++) add(delta, sym[i], sym[i + 1], -count);
        int out = 0;
        for (int i = 0; i < len; ) {
            if (i + 1 < len && sym[i] == a && sym[i + 1] == b) {
                sym[out++] = z;
                i += 2;
            } else {
                sym[out++] = sym[i++];
            }
        }
        lengths[w] = out;
        for (int i = 0; i + 1 < out; i++) {
            add(delta, sym[i], sym[i + 1], count);
            if (sym[i] == z || sym[i + 1] == z) stat(sym[i], sym[i + 1]).addWord(w);
        }
    }

    private static void add(HashMap<Long, long[]> delta, int left, int right, long change) {
        delta.computeIfAbsent(key(left, right), k -> new long[1])[0] += change;
    }

    private PairStat stat(int left, int right) {
        return pairs.computeIfAbsent(key(left, right), k -> new PairStat(left, right));
    }

    private static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xffffffffL);
    }

    /** Queue order: higher count first, then the smaller pair by bytes, then by ids. */
    private int compare(Candidate x, Candidate y) {
        int c = Long.compare(y.count, x.count);
        if (c != 0) return c;
        c = Arrays.compareUnsigned(tokenBytes.get(x.pair.left), tokenBytes.get(y.pair.left));
        if (c != 0) return c;
        c = Arrays.compareUnsigned(tokenBytes.get(x.pair.right), tokenBytes.get(y.pair.right));
        if (c != 0) return c;
        c = Integer.compare(x.pair.left, y.pair.left);
        return c != 0 ? c : Integer.compare(x.pair.right, y.pair.right);
    }
}
