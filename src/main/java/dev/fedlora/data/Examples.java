package dev.fedlora.data;

import java.io.Serializable;

/**
 * A labelled data set of any kind of example (images, token sequences, ...), as the federated
 * machinery sees it: how many examples, each one's label, and how many classes there are. Client
 * shards are drawn from the labels alone; what an example holds is the model's business.
 */
public interface Examples extends Serializable {
    /** A short name for messages, e.g. {@code train}. */
    String name();

    int size();

    /** The label of example {@code example}, in [0, {@link #classes()}). */
    int label(int example);

    /** All labels (a copy). */
    int[] labels();

    /** The number of classes, taken from the data (0 when the examples have no class, e.g. text for a language model). */
    int classes();

    /**
     * The natural groups of the examples (speakers, authors, users), for natural clients: 0 when the
     * data has none.
     */
    default int groups() {
        return 0;
    }

    /** The group of example {@code example}, in [0, {@link #groups()}); only when the data has groups. */
    default int group(int example) {
        throw new UnsupportedOperationException(name() + " has no natural groups");
    }
}
