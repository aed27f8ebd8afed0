package dev.fedlora.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.data.Examples;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenExamplesTest {
    /** Three sequences of four tokens, two classes, two groups. */
    private static TokenExamples labelled(int vocab) {
        int[] tokens = {0, 1, 2, 3, 4, 5, 6, 7, vocab - 1, vocab - 2, 9, 8};
        return new TokenExamples("train", 4, tokens, new int[] {1, 0, 1}, 2, new int[] {0, 1, 1}, List.of("Ann", "Bob"),
                vocab, "tok-1");
    }

    @Test
    void accessorsGiveTheSequencesLabelsAndGroups() {
        TokenExamples data = labelled(300);

        assertEquals("train", data.name());
        assertEquals(3, data.size());
        assertEquals(4, data.sequenceLength());
        assertEquals(300, data.vocabSize());
        assertEquals("tok-1", data.tokenizerId());
        assertEquals(2, data.classes());
        assertArrayEquals(new int[] {1, 0, 1}, data.labels());
        assertEquals(0, data.label(1));
        assertEquals(2, data.groups());
        assertEquals(1, data.group(2));
        assertEquals("Bob", data.groupName(1));
        assertEquals(List.of("Ann", "Bob"), data.groupNames());
        assertArrayEquals(new int[] {1, 2}, data.groupSizes());
        int[] dst = new int[6];
        data.tokens(2, dst, 1);
        assertArrayEquals(new int[] {0, 299, 298, 9, 8, 0}, dst);
        assertArrayEquals(new int[] {4, 5, 6, 7}, data.tokens(1));
        assertEquals(298, data.token(2, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> data.tokens(3));
        assertThrows(IndexOutOfBoundsException.class, () -> data.tokens(0, new int[5], 2));
    }

    @Test
    void largeVocabulariesKeepTheirIds() {
        TokenExamples data = labelled(100_000);
        assertArrayEquals(new int[] {99_999, 99_998, 9, 8}, data.tokens(2));
        assertEquals(99_998, data.token(2, 1));
    }

    @Test
    void aLanguageModellingSetHasNoLabels() {
        TokenExamples lm = new TokenExamples("lm", 2, new int[] {1, 2, 3, 4}, null, 0, null, List.of(), 10, "t");
        Examples asExamples = lm;

        assertEquals(0, asExamples.classes());
        assertFalse(lm.hasLabels());
        assertEquals(0, asExamples.groups());
        assertTrue(assertThrows(UnsupportedOperationException.class, () -> lm.label(0)).getMessage().contains("no labels"));
        assertThrows(UnsupportedOperationException.class, lm::labels);
        assertThrows(UnsupportedOperationException.class, () -> lm.group(0));
    }

    @Test
    void subsetAndFirstKeepEverythingElse() {
        TokenExamples data = labelled(300);
        TokenExamples sub = data.subset("some", new int[] {2, 0});

        assertEquals(2, sub.size());
        assertArrayEquals(data.tokens(2), sub.tokens(0));
        assertArrayEquals(new int[] {1, 1}, sub.labels());
        assertEquals(1, sub.group(0));
        assertEquals(data.groupNames(), sub.groupNames());
        assertEquals("tok-1", sub.tokenizerId());
        assertEquals(2, data.first(2).size());
        assertArrayEquals(data.tokens(1), data.first(2).tokens(1));
        assertEquals(data, data.first(0));
        assertEquals(data, data.first(7));
    }

    @Test
    void survivesSerialization() throws Exception {
        for (int vocab : new int[] {300, 100_000}) {
            TokenExamples data = labelled(vocab);
            TokenExamples back = roundTrip(data);

            assertEquals(data.size(), back.size());
            for (int i = 0; i < data.size(); i++) {
                assertArrayEquals(data.tokens(i), back.tokens(i));
                assertEquals(data.label(i), back.label(i));
                assertEquals(data.group(i), back.group(i));
            }
            assertEquals(data.groupNames(), back.groupNames());
            assertEquals(data.vocabSize(), back.vocabSize());
            assertEquals(data.tokenizerId(), back.tokenizerId());
            assertEquals(data.classes(), back.classes());
        }
        TokenExamples lm = roundTrip(new TokenExamples("lm", 2, new int[] {1, 2}, null, 0, null, List.of(), 10, "t"));
        assertFalse(lm.hasLabels());
    }

    @Test
    void charStorageIsTwoBytesAToken() throws IOException {
        int n = 10_000;
        TokenExamples data = new TokenExamples("big", 100, new int[n * 100], null, 0, null, List.of(), 4096, "t");
        int bytes = serialize(data).length;
        assertTrue(bytes > 2 * n * 100 && bytes < 2 * n * 100 + 2000, bytes + " bytes");
    }

    @Test
    void badArgumentsAreNamed() {
        assertThrows(IllegalArgumentException.class,
                () -> new TokenExamples("x", 3, new int[4], null, 0, null, List.of(), 10, "t"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new TokenExamples("x", 2, new int[] {1, 10}, null, 0, null, List.of(), 10, "t"))
                .getMessage().contains("token id 10 at position 1 of sequence 0 is outside [0, 10)"));
        assertThrows(IllegalArgumentException.class,
                () -> new TokenExamples("x", 2, new int[2], new int[] {2}, 2, null, List.of(), 10, "t"));
        assertThrows(IllegalArgumentException.class,
                () -> new TokenExamples("x", 2, new int[2], null, 2, null, List.of(), 10, "t"));
        assertThrows(IllegalArgumentException.class,
                () -> new TokenExamples("x", 2, new int[2], new int[] {0}, 0, null, List.of(), 10, "t"));
        assertThrows(IllegalArgumentException.class,
                () -> new TokenExamples("x", 2, new int[2], null, 0, new int[] {1}, List.of("a"), 10, "t"));
        assertThrows(IllegalArgumentException.class,
                () -> new TokenExamples("x", 2, new int[4], null, 0, new int[] {0, 1}, List.of("a", "a"), 10, "t"));
        assertThrows(IllegalArgumentException.class,
                () -> new TokenExamples("x", 2, new int[2], null, 0, null, List.of(), 10, ""));
    }

    private static byte[] serialize(Object o) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }

    private static TokenExamples roundTrip(TokenExamples data) throws Exception {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(serialize(data)))) {
            return (TokenExamples) in.readObject();
        }
    }
}
