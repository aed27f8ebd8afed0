package dev.fedlora.pretrain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fedlora.config.ConfigError;
import dev.fedlora.data.DataException;
import dev.fedlora.data.text.BpeTokenizer;
import dev.fedlora.data.text.BrownCorpus;
import dev.fedlora.data.text.BrownSplit;
import dev.fedlora.data.text.DocumentSplit;
import dev.fedlora.data.text.Passages;
import dev.fedlora.data.text.PreTokenizer;
import dev.fedlora.data.text.TextDocument;
import dev.fedlora.kernel.OpenBlasGemm;
import dev.fedlora.model.transformer.TransformerBase;
import dev.fedlora.model.transformer.TransformerBaseFile;
import dev.fedlora.model.transformer.TransformerConfig;
import dev.fedlora.model.transformer.TransformerFileException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Pretrains the transformer base as a causal language model on the Brown corpus's training
 * documents and checks it against a bigram on the held-out documents.
 *
 * <ol>
 *   <li>Loads Brown and splits it with {@link BrownSplit} (by document, stratified by genre, test
 *       share {@link BrownSplit#TEST_SHARE}): the genre-classification task tests on exactly the
 *       test documents, and nothing below reads them until step 5.</li>
 *   <li>Trains the byte-level BPE tokenizer on the training documents' word counts
 *       ({@link PreTokenizer#countWords}, equal to Spark's; this job runs in one JVM like
 *       {@code pretrain}) and saves it ({@code --tokenizer}).</li>
 *   <li>Cuts the training documents into one token stream ({@link Passages#stream}) and trains
 *       the model on it with {@link TransformerPretrainer} (seeded random windows, AdamW, warm-up and
 *       cosine decay, clipping by global norm, the batch in fixed shards on worker threads; the same
 *       seed gives bit-identical weights for any thread count), printing progress.</li>
 *   <li>Fits an interpolated Kneser–Ney bigram ({@link KneserNeyBigram}) on the same training
 *       stream, its discount chosen on the stream's last 10% with the model fitted on the rest.</li>
 *   <li>Evaluates both on every token of the test documents ({@link HeldOutPerplexity}: the sequence
 *       is end-of-text followed by the test documents' stream, windows of the context length overlap
 *       by one token) and fails (exit 1, nothing written but the tokenizer) unless the transformer's
 *       perplexity is below {@code --max-perplexity-ratio} times the bigram's.</li>
 *   <li>Writes the base ({@link TransformerBaseFile}, atomically) and then the JSON report
 *       ({@code --report}, atomically), which records the settings, config, data sizes, figures and
 *       the SHA-256 of both the tokenizer and the base file, so a fine-tuning job can check that a
 *       tokenizer and a base belong together.</li>
 * </ol>
 * Idempotent: when the report exists, was made with the same settings and corpus path, and the tokenizer and base
 * files match the checksums it records and read back, the command says so and exits 0 without
 * training. When they exist with other settings it refuses (exit 2) unless {@code --force}; when
 * they are missing, partial or corrupt it pretrains again.
 */
@Command(name = "pretrain-transformer", mixinStandardHelpOptions = true,
        description = "Pretrain the transformer base on Brown (causal LM) and check it against a bigram.")
public final class TransformerPretrainCommand implements Callable<Integer> {
    /** Exit code when the transformer does not beat the bigram. */
    public static final int EXIT_WORSE_THAN_BIGRAM = 1;
    /** Share of the training stream (its end) that chooses the bigram's discount. */
    static final double BIGRAM_TUNE_SHARE = 0.1;
    /**
     * The default model: BPE vocabulary, context length, width, heads, blocks, MLP width. Chosen so
     * that pretraining fits 15 minutes on 2 cores and a LoRA classification step (rank 8 on q and v,
     * 16 passages of 64 tokens) stays fast enough for 50 rounds x 10 clients in 5 minutes on local[2].
     */
    public static final int VOCAB = 2048, CONTEXT = 64, D_MODEL = 64, HEADS = 4, LAYERS = 2, D_FF = 256;

    static final double[] DISCOUNTS = {0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95};

    @Option(names = "--corpus", defaultValue = "data/text/brown",
            description = "Brown corpus folder, any Hadoop path (default: ${DEFAULT-VALUE}).")
    String corpus;

    @Option(names = "--documents", defaultValue = "" + BrownCorpus.DOCUMENTS,
            description = "Documents the corpus folder must hold, -1 for any number (default: ${DEFAULT-VALUE}).")
    int documents;

    @Option(names = "--tokenizer", defaultValue = "var/base/brown-bpe.tok",
            description = "Where to write the BPE tokenizer (default: ${DEFAULT-VALUE}).")
    String tokenizerPath;

    @Option(names = "--out", defaultValue = "var/base/brown-transformer.fltb",
            description = "Where to write the base (default: ${DEFAULT-VALUE}).")
    String out;

    @Option(names = "--report", defaultValue = "var/base/brown-transformer.json",
            description = "Where to write the JSON report (default: ${DEFAULT-VALUE}).")
    String report;

    @Option(names = "--vocab", defaultValue = "" + VOCAB, description = "BPE vocabulary size wanted (default: ${DEFAULT-VALUE}).")
    int vocab;
    @Option(names = "--context", defaultValue = "" + CONTEXT, description = "Context length (default: ${DEFAULT-VALUE}).")
    int context;
    @Option(names = "--d-model", defaultValue = "" + D_MODEL, description = "Model width (default: ${DEFAULT-VALUE}).")
    int dModel;
    @Option(names = "--heads", defaultValue = "" + HEADS, description = "Attention heads (default: ${DEFAULT-VALUE}).")
    int heads;
    @Option(names = "--layers", defaultValue = "" + LAYERS, description = "Blocks (default: ${DEFAULT-VALUE}).")
    int layers;
    @Option(names = "--d-ff", defaultValue = "" + D_FF, description = "MLP hidden width (default: ${DEFAULT-VALUE}).")
    int dFF;

    @Option(names = "--steps", defaultValue = "4000", description = "Optimizer steps (default: ${DEFAULT-VALUE}).")
    int steps;
    @Option(names = "--batch", defaultValue = "16", description = "Windows per step (default: ${DEFAULT-VALUE}).")
    int batch;
    @Option(names = "--shards", defaultValue = "2",
            description = "Equal parts of each batch, summed in order; the weights depend on it (default: ${DEFAULT-VALUE}).")
    int shards;
    @Option(names = "--threads", defaultValue = "2",
            description = "Worker threads; the weights do not depend on it (default: ${DEFAULT-VALUE}).")
    int threads;
    @Option(names = "--learning-rate", defaultValue = "4e-3", description = "Peak rate (default: ${DEFAULT-VALUE}).")
    double peakRate;
    @Option(names = "--min-learning-rate", defaultValue = "4e-4", description = "Rate at the last step (default: ${DEFAULT-VALUE}).")
    double floorRate;
    @Option(names = "--warmup", defaultValue = "200", description = "Linear warm-up steps (default: ${DEFAULT-VALUE}).")
    int warmup;
    @Option(names = "--weight-decay", defaultValue = "0.1", description = "AdamW's decoupled decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;
    @Option(names = "--beta1", defaultValue = "0.9") double beta1;
    @Option(names = "--beta2", defaultValue = "0.99") double beta2;
    @Option(names = "--epsilon", defaultValue = "1e-8") double epsilon;
    @Option(names = "--clip-norm", defaultValue = "1.0", description = "Global gradient norm limit (default: ${DEFAULT-VALUE}).")
    double clipNorm;
    @Option(names = "--seed", defaultValue = "1") long seed;

    @Option(names = "--eval-batch", defaultValue = "16", description = "Windows per evaluation batch (default: ${DEFAULT-VALUE}).")
    int evalBatch;
    @Option(names = "--progress-every", defaultValue = "250", description = "Steps between progress lines (default: ${DEFAULT-VALUE}).")
    int progressEvery;
    @Option(names = "--max-perplexity-ratio", defaultValue = "1.0",
            description = "Fail unless held-out perplexity < this x the bigram's (default: ${DEFAULT-VALUE}).")
    double maxRatio;
    @Option(names = "--force", description = "Pretrain again even if the outputs exist and check out.")
    boolean force;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        long t0 = System.nanoTime();
        Configuration conf = new Configuration();
        TransformerPretrainer.Settings settings = settings();
        ObjectNode requested = requestedSettings();
        if (!force) {
            String why = whyNotUpToDate(requested, conf);
            if (why == null) return 0;
            System.out.println("pretraining: " + why);
        }
        if (PretrainReport.exists(report, conf)) PretrainReport.delete(report, conf);

        List<TextDocument> docs = BrownCorpus.load(corpus, documents, conf);
        DocumentSplit.Parts parts = BrownSplit.apply(docs);
        TreeMap<String, Long> counts = PreTokenizer.countWords(parts.train());
        BpeTokenizer bpe = BpeTokenizer.train(counts, vocab);
        bpe.save(tokenizerPath, conf);
        int[] train = Passages.stream(parts.train(), bpe);
        int[] testStream = Passages.stream(parts.test(), bpe);
        int[] test = new int[testStream.length + 1];
        test[0] = bpe.endOfTextId();
        System.arraycopy(testStream, 0, test, 1, testStream.length);
        TransformerConfig config = new TransformerConfig(bpe.vocabSize(), context, dModel, heads, layers, dFF);
        System.out.printf("Brown: %d documents, %d train / %d test (test share %.2f); BPE vocabulary %d; %d train tokens,"
                        + " %d test tokens; %s, %d parameters%n", docs.size(), parts.train().size(), parts.test().size(),
                BrownSplit.TEST_SHARE, bpe.vocabSize(), train.length, testStream.length, config, parameters(config));

        long tTrain = System.nanoTime();
        TransformerBase base;
        double finalLoss;
        long tokensSeen;
        try (TransformerPretrainer trainer = new TransformerPretrainer(config, train, settings, OpenBlasGemm::new)) {
            double windowSum = 0;
            int window = 0;
            finalLoss = Double.NaN;
            for (int s = 0; s < steps; s++) {
                TransformerPretrainer.StepResult r = trainer.step();
                windowSum += r.loss();
                window++;
                if (window == progressEvery || s == steps - 1) {
                    finalLoss = windowSum / window;
                    double secs = (System.nanoTime() - tTrain) / 1e9;
                    System.out.printf("step %d/%d  train loss %.4f (mean of %d)  lr %.2e  grad norm %.3f  %.0f tokens/s"
                                    + "  %.0f s%n", s + 1, steps, finalLoss, window, r.rate(), r.gradNorm(),
                            trainer.tokensSeen() / secs, secs);
                    windowSum = 0;
                    window = 0;
                }
            }
            base = trainer.base();
            tokensSeen = trainer.tokensSeen();
        }
        double trainSeconds = (System.nanoTime() - tTrain) / 1e9;

        long tEval = System.nanoTime();
        HeldOutPerplexity.Loss heldOut = HeldOutPerplexity.transformer(base, test, evalBatch, threads, OpenBlasGemm::new);
        double discount = KneserNeyBigram.chooseDiscount(train, config.vocabSize(), BIGRAM_TUNE_SHARE, DISCOUNTS);
        KneserNeyBigram bigram = KneserNeyBigram.fit(train, config.vocabSize(), discount);
        HeldOutPerplexity.Loss bigramLoss = HeldOutPerplexity.bigram(bigram, test);
        double evalSeconds = (System.nanoTime() - tEval) / 1e9;
        System.out.printf("held-out (%d test documents, %d predictions): transformer perplexity %.2f, Kneser-Ney bigram"
                        + " (discount %.2f) %.2f  [%.0f s]%n", parts.test().size(), heldOut.predictions(),
                heldOut.perplexity(), discount, bigramLoss.perplexity(), evalSeconds);
        if (!(heldOut.perplexity() < maxRatio * bigramLoss.perplexity())) {
            spec.commandLine().getErr().printf("error: the transformer's held-out perplexity %.2f is not below %s x the"
                    + " bigram's %.2f; the base was not written%n", heldOut.perplexity(), maxRatio, bigramLoss.perplexity());
            spec.commandLine().getErr().flush();
            return EXIT_WORSE_THAN_BIGRAM;
        }

        TransformerBaseFile.write(base, out, conf);
        double wall = (System.nanoTime() - t0) / 1e9;
        ObjectNode json = PretrainReport.newObject();
        json.put("format", PretrainReport.FORMAT);
        json.set("settings", requested);
        ObjectNode c = json.putObject("config");
        c.put("vocabSize", config.vocabSize());
        c.put("contextLength", config.contextLength());
        c.put("dModel", config.dModel());
        c.put("heads", config.heads());
        c.put("layers", config.layers());
        c.put("dFF", config.dFF());
        ObjectNode data = json.putObject("corpus");
        data.put("path", corpus);
        data.put("documents", docs.size());
        data.put("train_documents", parts.train().size());
        data.put("test_documents", parts.test().size());
        data.put("test_share", BrownSplit.TEST_SHARE);
        data.put("split", "BrownSplit: DocumentSplit(test_share).applyStratified, by genre");
        data.put("train_tokens", train.length);
        data.put("test_tokens", testStream.length);
        ObjectNode tok = json.putObject("tokenizer");
        tok.put("path", tokenizerPath);
        tok.put("sha256", PretrainReport.sha256(tokenizerPath, conf));
        tok.put("vocab_size", bpe.vocabSize());
        ObjectNode b = json.putObject("base");
        b.put("path", out);
        b.put("sha256", PretrainReport.sha256(out, conf));
        b.put("parameters", parameters(config));
        ObjectNode t = json.putObject("training");
        t.put("steps", steps);
        t.put("tokens_seen", tokensSeen);
        t.put("final_train_loss", finalLoss);
        t.put("final_train_loss_steps", Math.min(progressEvery, steps));
        t.put("threads", threads);
        t.put("seconds", trainSeconds);
        t.put("tokens_per_second", tokensSeen / trainSeconds);
        ObjectNode e = json.putObject("evaluation");
        e.put("predictions", heldOut.predictions());
        e.put("windows", "end-of-text + test stream; window k = tokens [k(T-1), k(T-1)+T), each predicts its"
                + " tokens 1..T-1 from those before it in the window; every token after the first predicted once");
        e.put("held_out_perplexity", heldOut.perplexity());
        e.put("held_out_nll", heldOut.meanNll());
        e.put("bigram", "interpolated Kneser-Ney, discount chosen on the last " + BIGRAM_TUNE_SHARE
                + " of the training stream");
        e.put("bigram_discount", discount);
        e.put("bigram_perplexity", bigramLoss.perplexity());
        e.put("seconds", evalSeconds);
        json.put("wall_seconds", wall);
        PretrainReport.write(json, report, conf);
        System.out.printf("wrote %s, %s and %s (%.0f s: training %.0f s at %.0f tokens/s)%n", tokenizerPath, out, report,
                wall, trainSeconds, tokensSeen / trainSeconds);
        return 0;
    }

    private TransformerPretrainer.Settings settings() {
        try {
            if (progressEvery < 1) throw new IllegalArgumentException("--progress-every must be >= 1, found " + progressEvery);
            if (evalBatch < 1) throw new IllegalArgumentException("--eval-batch must be >= 1, found " + evalBatch);
            if (!(maxRatio > 0)) throw new IllegalArgumentException("--max-perplexity-ratio must be > 0, found " + maxRatio);
            if (context < 2) throw new IllegalArgumentException("--context must be >= 2 for a causal language model, found " + context);
            new TransformerConfig(Math.max(vocab, 1), context, dModel, heads, layers, dFF);
            return new TransformerPretrainer.Settings(steps, batch, shards, threads, peakRate, floorRate, warmup,
                    new AdamW.Hyper(beta1, beta2, epsilon, weightDecay), clipNorm, seed);
        } catch (IllegalArgumentException e) {
            throw new ConfigError("pretrain-transformer: " + e.getMessage(), e);
        }
    }

    /** Every setting the outputs depend on (not the paths, thread count or progress cadence). */
    ObjectNode requestedSettings() {
        ObjectNode s = PretrainReport.newObject();
        s.put("documents", documents);
        s.put("test_share", BrownSplit.TEST_SHARE);
        s.put("vocab", vocab);
        s.put("context", context);
        s.put("d_model", dModel);
        s.put("heads", heads);
        s.put("layers", layers);
        s.put("d_ff", dFF);
        s.put("steps", steps);
        s.put("batch", batch);
        s.put("shards", shards);
        s.put("learning_rate", peakRate);
        s.put("min_learning_rate", floorRate);
        s.put("warmup", warmup);
        s.put("weight_decay", weightDecay);
        s.put("beta1", beta1);
        s.put("beta2", beta2);
        s.put("epsilon", epsilon);
        s.put("clip_norm", clipNorm);
        s.put("seed", seed);
        return s;
    }

    /**
     * Null when the outputs exist and check out (and says so), else why not.
     * @throws ConfigError if they were made with other settings (and --force was not given)
     */
    private String whyNotUpToDate(ObjectNode requested, Configuration conf) {
        JsonNode r;
        try {
            if (!PretrainReport.exists(report, conf)) return report + " does not exist";
            r = PretrainReport.read(report, conf);
        } catch (IOException e) {
            return "cannot read " + report + " (" + e.getMessage() + ")";
        }
        if (!PretrainReport.FORMAT.equals(r.path("format").asText())) return report + " is not a pretraining report";
        List<String> differ = differences(requested, r.path("settings"));
        if (!differ.isEmpty()) {
            throw new ConfigError(report + " records a base pretrained with other settings (" + String.join(", ", differ)
                    + "); pass --force to pretrain again and replace it");
        }
        String recordedCorpus = r.path("corpus").path("path").asText();
        if (!corpus.equals(recordedCorpus)) {
            throw new ConfigError(report + " records a base pretrained on the corpus " + recordedCorpus + ", not " + corpus
                    + "; pass --force to pretrain again and replace it");
        }
        if (!tokenizerPath.equals(r.path("tokenizer").path("path").asText()) || !out.equals(r.path("base").path("path").asText())) {
            return report + " describes " + r.path("tokenizer").path("path").asText() + " and "
                    + r.path("base").path("path").asText() + ", not " + tokenizerPath + " and " + out;
        }
        try {
            for (String[] f : new String[][] {{tokenizerPath, r.path("tokenizer").path("sha256").asText()},
                    {out, r.path("base").path("sha256").asText()}}) {
                if (!PretrainReport.exists(f[0], conf)) return f[0] + " does not exist";
                String sha;
                try {
                    sha = PretrainReport.sha256(f[0], conf);
                } catch (IOException e) {
                    return "cannot read " + f[0] + " (" + e.getMessage() + ")";
                }
                if (!sha.equals(f[1])) return f[0] + " does not match the checksum " + report + " records";
            }
            BpeTokenizer bpe = BpeTokenizer.load(tokenizerPath, conf);
            TransformerBase base = TransformerBaseFile.read(out, conf);
            if (bpe.vocabSize() != base.config().vocabSize()) {
                return tokenizerPath + " has " + bpe.vocabSize() + " tokens, " + out + " " + base.config().vocabSize();
            }
            JsonNode c = r.path("config");
            TransformerConfig recorded = new TransformerConfig(c.path("vocabSize").asInt(), c.path("contextLength").asInt(),
                    c.path("dModel").asInt(), c.path("heads").asInt(), c.path("layers").asInt(), c.path("dFF").asInt());
            if (!recorded.equals(base.config())) return out + " holds " + base.config() + ", " + report + " says " + recorded;
        } catch (IOException | DataException | TransformerFileException | IllegalArgumentException e) {
            return e.getMessage();
        }
        System.out.printf("up to date: %s and %s check out against %s (held-out perplexity %.2f, bigram %.2f);"
                        + " pass --force to pretrain again%n", tokenizerPath, out, report,
                r.path("evaluation").path("held_out_perplexity").asDouble(),
                r.path("evaluation").path("bigram_perplexity").asDouble());
        return null;
    }

    private static List<String> differences(ObjectNode requested, JsonNode recorded) {
        List<String> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = requested.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode was = recorded.get(e.getKey());
            if (was == null || !sameValue(was, e.getValue())) {
                out.add(e.getKey() + " " + (was == null ? "missing" : was.asText()) + " -> " + e.getValue().asText());
            }
        }
        for (Iterator<String> it = recorded.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!requested.has(k)) out.add(k + " (no longer a setting)");
        }
        return out;
    }

    private static boolean sameValue(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) return a.asDouble() == b.asDouble() && a.isIntegralNumber() == b.isIntegralNumber();
        return a.equals(b);
    }

    /** The default model's config for a tokenizer of {@code vocabSize} tokens. */
    public static TransformerConfig defaultConfig(int vocabSize) {
        return new TransformerConfig(vocabSize, CONTEXT, D_MODEL, HEADS, LAYERS, D_FF);
    }

    static long parameters(TransformerConfig c) {
        long d = c.dModel(), f = c.dFF();
        long perLayer = 4 * d + 4 * (d * d + d) + 2 * d * f + f + d;
        return (long) c.vocabSize() * d + (long) c.contextLength() * d + c.layers() * perLayer + 2 * d;
    }
}
