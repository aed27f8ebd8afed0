package dev.fedlora.data.text;

/**
 * The 15 genres of the Brown corpus in the corpus's own order (its CONTENTS file, A to R without
 * I, O and Q); the ordinal is the class index. A document's genre is the second letter of its file
 * name ({@code ca01} is press reportage). {@link #category()} is the name NLTK's {@code cats.txt}
 * uses.
 *
 * <pre>
 *   index  letter  category         CONTENTS heading            documents
 *    0     a       news             PRESS: REPORTAGE                44
 *    1     b       editorial        PRESS: EDITORIAL                27
 *    2     c       reviews          PRESS: REVIEWS                  17
 *    3     d       religion         RELIGION                        17
 *    4     e       hobbies          SKILL AND HOBBIES               36
 *    5     f       lore             POPULAR LORE                    48
 *    6     g       belles_lettres   BELLES-LETTRES                  75
 *    7     h       government       MISCELLANEOUS: GOVERNMENT ...   30
 *    8     j       learned          LEARNED                         80
 *    9     k       fiction          FICTION: GENERAL                29
 *   10     l       mystery          FICTION: MYSTERY                24
 *   11     m       science_fiction  FICTION: SCIENCE                 6
 *   12     n       adventure        FICTION: ADVENTURE              29
 *   13     p       romance          FICTION: ROMANCE                29
 *   14     r       humor            HUMOR                            9
 * </pre>
 */
public enum BrownGenre {
    NEWS('a', "news", 44),
    EDITORIAL('b', "editorial", 27),
    REVIEWS('c', "reviews", 17),
    RELIGION('d', "religion", 17),
    HOBBIES('e', "hobbies", 36),
    LORE('f', "lore", 48),
    BELLES_LETTRES('g', "belles_lettres", 75),
    GOVERNMENT('h', "government", 30),
    LEARNED('j', "learned", 80),
    FICTION('k', "fiction", 29),
    MYSTERY('l', "mystery", 24),
    SCIENCE_FICTION('m', "science_fiction", 6),
    ADVENTURE('n', "adventure", 29),
    ROMANCE('p', "romance", 29),
    HUMOR('r', "humor", 9);

    private final char letter;
    private final String category;
    private final int documents;

    BrownGenre(char letter, String category, int documents) {
        this.letter = letter;
        this.category = category;
        this.documents = documents;
    }

    /** The letter after the {@code c} of a file name. */
    public char letter() {
        return letter;
    }

    /** The genre's name in NLTK's {@code cats.txt}, used as the documents' label. */
    public String category() {
        return category;
    }

    /** How many of the corpus's 500 documents are of this genre. */
    public int documents() {
        return documents;
    }

    /** The genre whose letter this is, or {@code null}. */
    public static BrownGenre ofLetter(char letter) {
        for (BrownGenre g : values()) {
            if (g.letter == letter) return g;
        }
        return null;
    }

    /** The letters in class-index order, for messages: "a b c d e f g h j k l m n p r". */
    static String letters() {
        StringBuilder out = new StringBuilder();
        for (BrownGenre g : values()) out.append(out.length() == 0 ? "" : " ").append(g.letter);
        return out.toString();
    }
}
