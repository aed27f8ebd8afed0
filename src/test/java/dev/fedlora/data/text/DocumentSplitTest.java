package dev.fedlora.data.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DocumentSplitTest {
    @Test
    void positionIsTheDocumentedHashOfTheId() {
        // sha256("ca01") starts ad2106c73d2ee53f: (0xad2106c73d2ee53f >>> 11) * 2^-53 = 0.67628...
        assertEquals((0xad2106c73d2ee53fL >>> 11) * 0x1.0p-53, DocumentSplit.position("ca01"), 0.0);
        assertEquals(0.676285194055875, DocumentSplit.position("ca01"), 1e-15);
    }

    @Test
    void splitDependsOnTheIdAloneAndGrowsWithTheShare() {
        List<TextDocument> docs = documents(1000);
        DocumentSplit.Parts small = new DocumentSplit(0.1).apply(docs);
        DocumentSplit.Parts large = new DocumentSplit(0.3).apply(docs);

        assertEquals(docs.size(), small.train().size() + small.test().size());
        assertTrue(large.test().containsAll(small.test()));
        assertEquals(small, new DocumentSplit(0.1).apply(docs));
        assertEquals(100, small.test().size(), 30);
        assertEquals(300, large.test().size(), 45);
        for (TextDocument d : small.test()) assertFalse(small.train().contains(d));
    }

    @Test
    void keepsTheGivenOrderWithinEachPart() {
        List<TextDocument> docs = documents(200);
        DocumentSplit.Parts parts = new DocumentSplit(0.5).apply(docs);

        assertEquals(docs.stream().filter(d -> !new DocumentSplit(0.5).isTest(d.id())).toList(), parts.train());
        assertTrue(isSubsequence(parts.test(), docs));
    }

    @Test
    void stratifiedSplitGivesEveryLabelItsRoundedShare() {
        List<TextDocument> docs = new ArrayList<>();
        int[] sizes = {17, 6, 9, 2};
        for (int label = 0; label < sizes.length; label++) {
            for (int i = 0; i < sizes[label]; i++) docs.add(new TextDocument("l" + label + "d" + i, "l" + label, label, null, "t"));
        }

        DocumentSplit.Parts parts = new DocumentSplit(0.2).applyStratified(docs);

        int[] expected = {3, 1, 2, 0}; // round(3.4), round(1.2), round(1.8), round(0.4)
        for (int label = 0; label < sizes.length; label++) {
            int l = label;
            assertEquals(expected[label], parts.test().stream().filter(d -> d.labelIndex() == l).count(), "label " + label);
        }
        assertEquals(docs.size(), parts.train().size() + parts.test().size());
        assertEquals(parts, new DocumentSplit(0.2).applyStratified(docs));
        // the test documents of a label are those with the smallest positions
        double cut = parts.test().stream().filter(d -> d.labelIndex() == 0).mapToDouble(d -> DocumentSplit.position(d.id())).max().orElseThrow();
        parts.train().stream().filter(d -> d.labelIndex() == 0).forEach(d -> assertTrue(DocumentSplit.position(d.id()) > cut));
    }

    @Test
    void extremeSharesAndBadShares() {
        List<TextDocument> docs = documents(50);
        assertEquals(0, new DocumentSplit(0).apply(docs).test().size());
        assertEquals(50, new DocumentSplit(1).apply(docs).test().size());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DocumentSplit(1.5));
        assertEquals("testShare must be in [0, 1], found 1.5", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DocumentSplit(Double.NaN));
    }

    private static List<TextDocument> documents(int n) {
        List<TextDocument> docs = new ArrayList<>();
        for (int i = 0; i < n; i++) docs.add(new TextDocument(String.format("doc%04d", i), "x", 0, null, "text " + i));
        return docs;
    }

    private static boolean isSubsequence(List<TextDocument> part, List<TextDocument> all) {
        int at = 0;
        for (TextDocument d : all) if (at < part.size() && part.get(at).equals(d)) at++;
        return at == part.size();
    }
}
