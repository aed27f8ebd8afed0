package dev.fedlora.data.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

/**
 * The text formats on the fetched corpora (jobs/fetch-data.sh), skipped when absent: 64-token
 * passages and sequences at test share 0.2, cut with a 4096-token BPE trained on Brown's 400
 * training documents, the tokenizer a pretraining job on the same split makes (about ten seconds).
 */
class RealTextFormatsTest {
    private static final String BROWN = "data/text/brown";
    private static final String SOTU = "data/text/sotu";
    private static BpeTokenizer bpe;

    private static synchronized BpeTokenizer brownTokenizer() {
        assumeTrue(Files.isDirectory(Path.of(BROWN)), "run jobs/fetch-data.sh to include " + BROWN);
        if (bpe == null) {
            List<TextDocument> train = BrownGenreFormat.trainingDocuments(BROWN, 0.2, new Configuration());
            assertEquals(400, train.size());
            bpe = BpeTokenizer.train(train, 4096);
            assertEquals(4096, bpe.vocabSize());
        }
        return bpe;
    }

    @Test
    void brownGenrePassages() {
        BpeTokenizer tokenizer = brownTokenizer();
        List<TextDocument> docs = BrownCorpus.load(BROWN);
        TokenSplit split = BrownGenreFormat.of(docs, tokenizer, 64, 0.2);

        assertEquals(21187, split.train().size());
        assertEquals(5375, split.test().size());
        List<String> heldOut = BrownGenreFormat.heldOutDocuments(BROWN, 0.2, new Configuration());
        assertEquals(100, heldOut.size());
        Set<String> train = new HashSet<>();
        for (TextDocument d : BrownGenreFormat.trainingDocuments(BROWN, 0.2, new Configuration())) train.add(d.id());
        for (String id : heldOut) assertTrue(!train.contains(id), id);
        int[] perClass = new int[15];
        for (int label : split.test().labels()) perClass[label]++;
        for (int c = 0; c < 15; c++) assertTrue(perClass[c] > 0, BrownGenre.values()[c] + " has no test passage");
    }

    @Test
    void sotuLmSequences() {
        BpeTokenizer tokenizer = brownTokenizer();
        assumeTrue(Files.isDirectory(Path.of(SOTU)), "run jobs/fetch-data.sh to include " + SOTU);
        List<TextDocument> addresses = SotuCorpus.load(SOTU);
        TokenSplit split = SotuLmFormat.of(addresses, tokenizer, 64, 0.2);
        DocumentSplit.Parts parts = SotuLmFormat.split(addresses, 0.2);

        assertEquals(33001, split.train().size());
        assertEquals(9720, split.test().size());
        assertEquals(43, split.train().groups(), "every president keeps a training address");
        assertEquals("George Washington", split.train().groupName(0));
        assertEquals("Joseph R Biden", split.train().groupName(42));
        for (int size : split.train().groupSizes()) assertTrue(size > 0);
        assertEquals(178, parts.train().size());
        assertEquals(55, parts.test().size());
        List<String> movedBack = parts.train().stream()
                .filter(d -> new DocumentSplit(0.2).isTest(d.id())).map(TextDocument::id).toList();
        assertEquals(57 - 55, movedBack.size(), movedBack.toString());
    }
}
