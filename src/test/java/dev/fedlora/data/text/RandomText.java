package dev.fedlora.data.text;

import java.util.SplittableRandom;

/** Random valid Unicode strings that stress a tokenizer: ASCII, accents, CJK, emoji, odd spaces. */
final class RandomText {
    private static final int[][] RANGES = {
        {0x20, 0x7e}, {0x20, 0x7e}, {0x20, 0x7e}, {'\t', '\r'}, {0xa0, 0x17f}, {0x300, 0x36f},
        {0x391, 0x3c9}, {0x410, 0x44f}, {0x2000, 0x206f}, {0x3000, 0x30ff}, {0x4e00, 0x9fff},
        {0xe000, 0xe0ff}, {0xfff0, 0xfffd}, {0x1f300, 0x1f64f}, {0x10000, 0x10ffff}, {0x0, 0x1f},
    };

    private RandomText() {}

    static String of(SplittableRandom rng, int maxCodePoints) {
        int n = rng.nextInt(maxCodePoints + 1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int[] range = RANGES[rng.nextInt(RANGES.length)];
            int cp = range[0] + rng.nextInt(range[1] - range[0] + 1);
            if (cp >= 0xd800 && cp <= 0xdfff) cp = 'x';
            out.appendCodePoint(cp);
        }
        return out.toString();
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder();
        s.codePoints().forEach(cp -> out.append(cp >= 0x20 && cp < 0x7f ? String.valueOf((char) cp) : String.format("\\u{%x}", cp)));
        return out.toString();
    }
}
