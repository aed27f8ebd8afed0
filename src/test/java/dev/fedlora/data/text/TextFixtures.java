package dev.fedlora.data.text;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/** Tiny corpora in the loaders' layouts, and a tiny BPE tokenizer trained on them. */
public final class TextFixtures {
    private static final String[] WORDS = ("the of and to a in that is was he for it with as his on be at by had"
            + " union state congress nation people war peace law treaty trade budget ships grand jury county said"
            + " election evidence Atlanta Fulton report year government president senate house duty").split(" ");

    private TextFixtures() {}

    static String words(SplittableRandom rng, int count) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < count; i++) {
            if (i > 0) out.append(i % 12 == 0 ? " .\n" : " ");
            out.append(WORDS[rng.nextInt(WORDS.length)]);
        }
        return out.append(" .").toString();
    }

    /** {@code perGenre} documents of every genre, each of 30 to 150 words, tagged word/tag. */
    public static void writeBrown(Path dir, int perGenre, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        for (BrownGenre g : BrownGenre.values()) {
            for (int i = 1; i <= perGenre; i++) {
                String text = words(rng, 30 + rng.nextInt(121));
                StringBuilder tagged = new StringBuilder();
                for (String line : text.split("\n")) {
                    tagged.append("\n\n\t");
                    for (String w : line.strip().split(" ")) tagged.append(w).append(w.equals(".") ? "/." : "/nn").append(' ');
                    tagged.append('\n');
                }
                write(dir.resolve(String.format("c%c%02d", g.letter(), i)), tagged.toString());
            }
        }
        write(dir.resolve("README"), "not a document");
    }

    static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A 300-token BPE trained on the documents, written to {@code file}. */
    public static BpeTokenizer tokenizer(List<TextDocument> documents, Path file) {
        BpeTokenizer bpe = BpeTokenizer.train(documents, 300);
        try {
            bpe.save(file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bpe;
    }
}
