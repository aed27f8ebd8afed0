package dev.fedlora.data.text;

import dev.fedlora.data.Examples;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.util.List;

/**
 * A set of fixed-length token sequences, the compact form a text data set is broadcast in: {@code n}
 * sequences of {@link #sequenceLength()} token ids each, held in one flat array, sequence after
 * sequence. The ids are stored as {@code char}s (two bytes an id) when the vocabulary has at most
 * 65536 tokens, which every BPE vocabulary here has, and as {@code int}s otherwise; either way
 * {@link #tokens} copies them out as {@code int}s.
 *
 * <p>Each sequence may have a class label (passage classification: {@link #classes()} > 0) or none
 * (language modelling, where the targets are the next tokens: {@link #classes()} = 0, and
 * {@link #label}/{@link #labels} throw), and may belong to a natural group (the president whose
 * address it was cut from: {@link #groups()} > 0, each group with a name for reports).
 *
 * <p>The set also records the tokenizer it was cut with: its vocabulary size and
 * {@link #tokenizerId()}, for a BPE tokenizer {@link BpeTokenizer#id()} (the SHA-256 its file
 * records), so a model can check it was pretrained with the same tokenizer. Instances are
 * immutable; the constructor copies its arrays.
 */
public final class TokenExamples implements Examples {
    private static final long serialVersionUID = 1L;
    /** The largest vocabulary whose ids are stored as {@code char}s. */
    static final int CHAR_VOCAB = 1 << 16;

    private final String name;
    private final int size;
    private final int sequenceLength;
    /** The ids when the vocabulary fits a char, else null. */
    private final char[] narrow;
    /** The ids when it does not, else null. */
    private final int[] wide;
    /** Null when classes = 0. */
    private final int[] labels;
    private final int classes;
    /** Null when there are no groups. */
    private final int[] groups;
    private final String[] groupNames;
    private final int vocabSize;
    private final String tokenizerId;

    /**
     * @param tokens {@code n * sequenceLength} ids in [0, vocabSize), sequence after sequence
     * @param labels each sequence's class in [0, classes), or null when {@code classes} is 0
     * @param groups each sequence's group in [0, groupNames.size()), or null for none (then
     *     {@code groupNames} must be empty)
     * @param groupNames the groups' names, in group order
     * @throws IllegalArgumentException if the lengths disagree, an id, label or group is out of
     *     range, labels are given with 0 classes or missing with more, or a name is null or repeated
     */
    public TokenExamples(String name, int sequenceLength, int[] tokens, int[] labels, int classes, int[] groups,
            List<String> groupNames, int vocabSize, String tokenizerId) {
        if (sequenceLength < 1) throw new IllegalArgumentException(name + ": sequence length must be >= 1, found " + sequenceLength);
        if (tokens.length % sequenceLength != 0) {
            throw new IllegalArgumentException(name + ": " + tokens.length + " token ids are not a whole number of sequences of "
                    + sequenceLength);
        }
        this.name = name;
        this.size = tokens.length / sequenceLength;
        this.sequenceLength = sequenceLength;
        this.vocabSize = vocabSize;
        this.tokenizerId = tokenizerId;
        if (vocabSize <= CHAR_VOCAB) {
            narrow = new char[tokens.length];
            for (int i = 0; i < tokens.length; i++) narrow[i] = (char) tokens[i];
            wide = null;
        } else {
            narrow = null;
            wide = tokens.clone();
        }
        this.labels = labels == null ? null : labels.clone();
        this.classes = classes;
        this.groups = groups == null ? null : groups.clone();
        this.groupNames = groupNames.toArray(new String[0]);
        check(tokens);
    }

    private void check(int[] tokens) {
        if (vocabSize < 1) throw new IllegalArgumentException(name + ": vocabulary size must be >= 1, found " + vocabSize);
        if (tokenizerId == null || tokenizerId.isEmpty()) throw new IllegalArgumentException(name + ": no tokenizer id");
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= vocabSize) {
                throw new IllegalArgumentException(name + ": token id " + tokens[i] + " at position " + (i % sequenceLength)
                        + " of sequence " + (i / sequenceLength) + " is outside [0, " + vocabSize + ")");
            }
        }
        if (classes < 0) throw new IllegalArgumentException(name + ": classes must be >= 0, found " + classes);
        if ((classes == 0) != (labels == null)) {
            throw new IllegalArgumentException(name + ": " + (labels == null ? "no labels for " + classes + " classes"
                    : "labels given but classes = 0"));
        }
        if (labels != null) checkIndices("label", labels, classes);
        if (groups == null && groupNames.length > 0) {
            throw new IllegalArgumentException(name + ": " + groupNames.length + " group names but no groups");
        }
        if (groups != null) checkIndices("group", groups, groupNames.length);
        for (int g = 0; g < groupNames.length; g++) {
            if (groupNames[g] == null) throw new IllegalArgumentException(name + ": group " + g + " has no name");
            for (int h = 0; h < g; h++) {
                if (groupNames[h].equals(groupNames[g])) {
                    throw new IllegalArgumentException(name + ": groups " + h + " and " + g + " are both named " + groupNames[g]);
                }
            }
        }
    }

    private void checkIndices(String what, int[] values, int count) {
        if (values.length != size) {
            throw new IllegalArgumentException(name + ": " + values.length + " " + what + "s for " + size + " sequences");
        }
        for (int i = 0; i < size; i++) {
            if (values[i] < 0 || values[i] >= count) {
                throw new IllegalArgumentException(name + ": " + what + " " + values[i] + " of sequence " + i
                        + " is outside [0, " + count + ")");
            }
        }
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        if ((narrow == null) == (wide == null) || groupNames == null) throw new InvalidObjectException(name + ": corrupt token set");
        int length = narrow != null ? narrow.length : wide.length;
        if (sequenceLength < 1 || (long) size * sequenceLength != length) {
            throw new InvalidObjectException(name + ": " + length + " ids for " + size + " sequences of " + sequenceLength);
        }
        try {
            check(narrow != null ? toInts(narrow) : wide);
        } catch (IllegalArgumentException e) {
            throw new InvalidObjectException(e.getMessage());
        }
    }

    private static int[] toInts(char[] ids) {
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) out[i] = ids[i];
        return out;
    }

    @Override public String name() { return name; }
    @Override public int size() { return size; }
    @Override public int classes() { return classes; }

    /** Tokens in every sequence. */
    public int sequenceLength() {
        return sequenceLength;
    }

    /** The vocabulary size of the tokenizer the sequences were cut with; every id is below it. */
    public int vocabSize() {
        return vocabSize;
    }

    /** The identity of that tokenizer ({@link BpeTokenizer#id()} for a BPE tokenizer). */
    public String tokenizerId() {
        return tokenizerId;
    }

    /** Copies sequence {@code example}'s {@link #sequenceLength()} ids into {@code dst} at {@code offset}. */
    public void tokens(int example, int[] dst, int offset) {
        checkExample(example);
        int base = example * sequenceLength;
        if (wide != null) {
            System.arraycopy(wide, base, dst, offset, sequenceLength);
        } else {
            if (offset < 0 || offset + sequenceLength > dst.length) {
                throw new IndexOutOfBoundsException("cannot copy " + sequenceLength + " ids to offset " + offset
                        + " of an array of " + dst.length);
            }
            for (int j = 0; j < sequenceLength; j++) dst[offset + j] = narrow[base + j];
        }
    }

    /** Sequence {@code example}'s ids (a new array). */
    public int[] tokens(int example) {
        int[] out = new int[sequenceLength];
        tokens(example, out, 0);
        return out;
    }

    /** Id {@code position} of sequence {@code example}. */
    public int token(int example, int position) {
        checkExample(example);
        if (position < 0 || position >= sequenceLength) {
            throw new IndexOutOfBoundsException("position " + position + " is outside [0, " + sequenceLength + ")");
        }
        int i = example * sequenceLength + position;
        return wide != null ? wide[i] : narrow[i];
    }

    /** Whether the sequences have class labels ({@link #classes()} > 0). */
    public boolean hasLabels() {
        return labels != null;
    }

    /** @throws UnsupportedOperationException if the set has no labels ({@link #classes()} = 0) */
    @Override
    public int label(int example) {
        checkExample(example);
        return requireLabels()[example];
    }

    /** @throws UnsupportedOperationException if the set has no labels ({@link #classes()} = 0) */
    @Override
    public int[] labels() {
        return requireLabels().clone();
    }

    private int[] requireLabels() {
        if (labels == null) {
            throw new UnsupportedOperationException(name + " has no labels (a language-modelling set: the targets are the next tokens)");
        }
        return labels;
    }

    @Override
    public int groups() {
        return groupNames.length;
    }

    @Override
    public int group(int example) {
        checkExample(example);
        if (groups == null) throw new UnsupportedOperationException(name + " has no natural groups");
        return groups[example];
    }

    /** The name of group {@code g} (a president), for reports. */
    public String groupName(int g) {
        if (g < 0 || g >= groupNames.length) {
            throw new IndexOutOfBoundsException("group " + g + " is outside [0, " + groupNames.length + ")");
        }
        return groupNames[g];
    }

    /** The groups' names in group order. */
    public List<String> groupNames() {
        return List.of(groupNames);
    }

    /** How many sequences each group holds. */
    public int[] groupSizes() {
        int[] out = new int[groupNames.length];
        if (groups != null) for (int g : groups) out[g]++;
        return out;
    }

    /** The sequences {@code idx}, in that order, as their own set with the same classes, groups and tokenizer. */
    public TokenExamples subset(String subsetName, int[] idx) {
        int[] t = new int[idx.length * sequenceLength];
        for (int i = 0; i < idx.length; i++) tokens(idx[i], t, i * sequenceLength);
        int[] l = null;
        if (labels != null) {
            l = new int[idx.length];
            for (int i = 0; i < idx.length; i++) l[i] = labels[idx[i]];
        }
        int[] g = null;
        if (groups != null) {
            g = new int[idx.length];
            for (int i = 0; i < idx.length; i++) g[i] = groups[idx[i]];
        }
        return new TokenExamples(subsetName, sequenceLength, t, l, classes, g, List.of(groupNames), vocabSize, tokenizerId);
    }

    /** The first {@code limit} sequences (all when {@code limit} is 0 or at least {@link #size()}). */
    public TokenExamples first(int limit) {
        if (limit < 0) throw new IllegalArgumentException("limit must be >= 0, found " + limit);
        if (limit == 0 || limit >= size) return this;
        int[] idx = new int[limit];
        for (int i = 0; i < limit; i++) idx[i] = i;
        return subset(name, idx);
    }

    private void checkExample(int example) {
        if (example < 0 || example >= size) {
            throw new IndexOutOfBoundsException(name + ": sequence " + example + " is outside [0, " + size + ")");
        }
    }

    @Override
    public String toString() {
        return "TokenExamples[" + name + ", " + size + " x " + sequenceLength + " tokens, vocab " + vocabSize
                + (classes > 0 ? ", " + classes + " classes" : ", no classes")
                + (groupNames.length > 0 ? ", " + groupNames.length + " groups" : "") + "]";
    }
}
