package dev.fedlora.engine;

import dev.fedlora.checkpoint.Checkpoint;
import dev.fedlora.client.CohortSampler;
import dev.fedlora.comm.Payload;
import dev.fedlora.config.ConfigError;
import dev.fedlora.config.ExperimentConfig;
import dev.fedlora.data.Examples;
import dev.fedlora.metrics.MetricsRow;
import dev.fedlora.metrics.RoundListener;
import dev.fedlora.model.BaseDelta;
import dev.fedlora.model.AdaptableModel;
import dev.fedlora.model.Adapter;
import dev.fedlora.random.Seeds;
import dev.fedlora.ranks.RankPolicy;
import dev.fedlora.state.ClientStateStore;
import dev.fedlora.state.StateIndex;
import dev.fedlora.strategy.Accumulator;
import dev.fedlora.strategy.Download;
import dev.fedlora.strategy.GlobalModel;
import dev.fedlora.strategy.Strategy;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The round loop, written once for every strategy and every {@link Backend}. Per round: sample
 * the cohort on the driver, send the strategy's download with the tasks, train the clients in a fixed number of
 * tasks (each folds its clients into a partial, {@link ClientRunner}), fold the partials in task
 * order, let the strategy finish the next global model, evaluate it, and hand a metrics row to the
 * listeners. The global model is evaluated on the base its next download carries
 * ({@link Download#training}). On a {@link SparkBackend} the tasks are Spark tasks; on a
 * {@link LocalBackend} they run in this JVM, with the same results bit for bit.
 *
 * <p>For a strategy whose clients remember ({@link Strategy#clientMemory}), the driver keeps a
 * {@link StateIndex} of where each client's latest state lies in {@code <run>/state/}: each slot
 * carries its client's location and its task's index, each task returns where it wrote its clients'
 * next states, and the index takes them in. A fresh run clears the states; a resumed one rebuilds the
 * index from the state files of the rounds up to its checkpoint and removes those of later rounds,
 * which the resumed rounds write again, byte for byte.
 */
public final class FederatedRun {
    private static final Logger LOG = LogManager.getLogger(FederatedRun.class);
    private final ExperimentConfig cfg;
    private final ExperimentInputs inputs;

    public FederatedRun(ExperimentConfig cfg, ExperimentInputs inputs) {
        this.cfg = cfg;
        this.inputs = inputs;
    }

    /** The global adapter before round 1, from the experiment seed. */
    public Adapter initialAdapter() {
        int maxRank = cfg.clients().ranks().maxRank();
        return Adapter.init(inputs.layout(), maxRank, Seeds.rng(cfg.seed(), Seeds.Purpose.INIT));
    }

    /**
     * Runs the remaining rounds: all of them, or those after {@code resume} when it is not null.
     * @return every metrics row, round 0 (the initial model) first
     */
    public List<MetricsRow> run(Backend backend, String runDir, List<RoundListener> listeners, Checkpoint resume)
            throws Exception {
        return new Loop<>(inputs.strategy(), backend, runDir).run(listeners, resume);
    }

    /** The loop for one strategy's types. */
    private final class Loop<D extends Download, P extends Payload, A extends Accumulator<P, A>, S extends Serializable> {
        private final Strategy<D, P, A, S> strategy;
        private final Backend backend;
        private final String runDir;

        Loop(Strategy<D, P, A, S> strategy, Backend backend, String runDir) {
            this.strategy = strategy;
            this.backend = backend;
            this.runDir = runDir;
        }

        List<MetricsRow> run(List<RoundListener> listeners, Checkpoint resume) throws Exception {
            Backend.Shared<Examples> train = backend.share(inputs.train());
            Backend.Shared<Examples> test = backend.share(inputs.test());
            Backend.Shared<AdaptableModel> base = backend.share(inputs.model());
            float scale = cfg.loraScale();
            ShardSpec shardSpec = ShardSpec.of(cfg);
            ClientStateStore states = clientStates(resume);
            StateIndex index = states == null ? null : resume == null ? new StateIndex() : states.index(resume.round());
            ClientRunner<D, P, A> runner = new ClientRunner<>(train, base, inputs.layout(), scale, cfg.train(), strategy,
                    shardSpec, cfg.seed(), cfg.faults(), cfg.run().saveClientUpdates() ? new UpdateDumps(runDir) : null,
                    states);
            Evaluator evaluator = new Evaluator(test, base, scale, cfg.run().evalPartitions());
            ValidationScorer scorer = new ValidationScorer(train, scale, shardSpec,
                    cfg.run().evalPartitions());
            ClientEvaluator clientEval = cfg.run().evalClients() == 0 ? null
                    : new ClientEvaluator(train, scale, shardSpec, cfg.run().evalClients(), cfg.seed());

            if (cfg.privacy().enabled()) LOG.info("[{}] {}", cfg.name(), cfg.privacy().describe());
            GlobalModel<S> global;
            RankPolicy ranks;
            List<MetricsRow> rows = new ArrayList<>();
            // The download of the round about to run: computed once, after the previous round's finish,
            // and used both to evaluate that global model (on the base it carries) and to train the round.
            D download;
            if (resume == null) {
                global = new GlobalModel<>(initialAdapter(), strategy.initialState());
                ranks = RankPolicy.create(cfg.clients().ranks(), shardSpec.shardsOf(inputs.train()), cfg.seed(),
                        inputs.layout());
                download = strategy.download(global, 1);
                backend.describe(cfg.name() + ": evaluate initial model");
                BaseDelta initialDelta = download.training().baseDelta();
                ClientEvaluator.Result initialClients = clientEval == null ? null
                        : clientEval.evaluate(backend, global.adapter(), initialDelta.applyTo(inputs.model()), 0, ranks);
                rows.add(row(0, evaluator.evaluate(backend, global.adapter(), initialDelta),
                        new RoundStats(), 0, 0, 0, initialClients));
                tell(listeners, rows.get(0), global, ranks);
            } else {
                global = resumed(resume);
                ranks = resume.ranks();
                rows.addAll(resume.rows());
                download = strategy.download(global, rows.size());
                LOG.info("[{}] resuming from the checkpoint after round {}", cfg.name(), resume.round());
            }
            for (int round = rows.size(); round <= cfg.rounds(); round++) {
                long start = System.nanoTime();
                Partial<A> folded = trainRound(round, global, ranks, runner, download, index);
                if (index != null) index.putAll(folded.states());
                global = strategy.finish(folded.accumulator(), global, round);
                download = strategy.download(global, round + 1);
                BaseDelta delta = download.training().baseDelta();
                Evaluator.Evaluation eval = null;
                if (round % cfg.run().evalEvery() == 0 || round == cfg.rounds()) {
                    backend.describe(String.format("%s: round %d/%d, evaluate", cfg.name(), round, cfg.rounds()));
                    eval = evaluator.evaluate(backend, global.adapter(), delta);
                }
                AdaptableModel frozen = delta.applyTo(inputs.model());
                ClientEvaluator.Result clients = eval == null || clientEval == null ? null
                        : clientEval.evaluate(backend, global.adapter(), frozen, round, ranks);
                ranks = ranks.afterRound(round, global.adapter(), adapter -> scorer.score(backend, adapter, frozen));
                MetricsRow last = rows.get(rows.size() - 1);
                double seconds = (System.nanoTime() - start) / 1e9;
                rows.add(row(round, eval, folded.stats(), last.cumulativeBytesDown(), last.cumulativeBytesUp(), seconds,
                        clients));
                tell(listeners, rows.get(rows.size() - 1), global, ranks);
            }
            train.destroy();
            test.destroy();
            base.destroy();
            return rows;
        }

        /**
         * The store of the clients' states, ready for the first round to run; null when the strategy's
         * clients keep none.
         *
         * @throws ConfigError if they keep state but the run has no run folder
         */
        private ClientStateStore clientStates(Checkpoint resume) throws java.io.IOException {
            if (strategy.clientMemory().isEmpty()) return null;
            if (runDir == null) {
                throw new ConfigError("strategy.name = " + cfg.strategy().name() + " keeps a state per client in the"
                        + " run folder (<output.dir>/<experiment.name>/state), but this run has no run folder");
            }
            ClientStateStore states = new ClientStateStore(runDir);
            if (resume == null) states.clear();
            else states.dropAfter(resume.round());
            return states;
        }

        /**
         * The checkpoint's global model, whose server state must be this strategy's; the config hash
         * already ties a checkpoint to its strategy, so a mismatch means a corrupt or foreign file.
         */
        @SuppressWarnings("unchecked")
        private GlobalModel<S> resumed(Checkpoint resume) {
            Class<?> expected = strategy.initialState().getClass();
            Object state = resume.global().serverState();
            if (!expected.isInstance(state)) {
                throw new ConfigError("checkpoint after round " + resume.round() + " holds server state of type "
                        + state.getClass().getSimpleName() + ", strategy " + cfg.strategy().name() + " keeps "
                        + expected.getSimpleName() + "; rerun with --force to start over");
            }
            return (GlobalModel<S>) resume.global();
        }

        /** Samples the round's cohort, trains it in a fixed number of tasks and folds the partials in task order. */
        private Partial<A> trainRound(int round, GlobalModel<S> global, RankPolicy ranks, ClientRunner<D, P, A> runner,
                                      D download, StateIndex index) {
            int[] cohort = cfg.privacy().poisson()
                    ? CohortSampler.poisson(cfg.seed(), round, cfg.clients().count(), cfg.privacy().samplingRate())
                    : CohortSampler.sample(cfg.seed(), round, cfg.clients().count(), cfg.clients().perRound());
            int tasks = Math.max(1, Math.min(cfg.run().tasksPerRound(), cohort.length));  // one task folds an empty cohort
            List<ClientSlot> slots = new ArrayList<>(cohort.length);
            int task = 0;
            for (int i = 0; i < cohort.length; i++) {
                int c = cohort[i];
                int rank = strategy.rankFor(c, ranks.rankOf(c), global);
                if (index == null) {
                    slots.add(new ClientSlot(c, rank));
                    continue;
                }
                while (Backend.sliceStart(cohort.length, tasks, task + 1) <= i) task++;
                slots.add(new ClientSlot(c, rank, task, index.locationOf(c).orElse(null)));
            }

            backend.describe(String.format("%s: round %d/%d, train %d clients (%s)", cfg.name(), round,
                    cfg.rounds(), cohort.length, cfg.strategy().name()));
            // The round's input travels in the task closure: Spark ships a stage's closure once per
            // executor, so a per-round broadcast (created and destroyed every round) would only add cost.
            RoundInput<D> input = new RoundInput<>(round, global.adapter().rank, download);
            long t1 = System.nanoTime();
            Partial<A> folded = backend.foldTasks(slots, tasks, it -> runner.run(it, input), Partial::merge);
            LOG.debug("[{}] round {}: clients {} ms (training {} ms summed over tasks)", cfg.name(), round,
                    (System.nanoTime() - t1) / 1_000_000, (long) (folded.stats().trainSeconds() * 1000));
            if (!folded.stats().rejections().isEmpty()) {
                LOG.warn("[{}] round {}: rejected {}", cfg.name(), round, folded.stats().rejections());
            }
            return folded;
        }
    }

    private static void tell(List<RoundListener> listeners, MetricsRow row, GlobalModel<?> global, RankPolicy ranks)
            throws Exception {
        for (RoundListener l : listeners) l.onRound(row, global, ranks);
    }

    private MetricsRow row(int round, Evaluator.Evaluation eval, RoundStats s, long cumDown, long cumUp, double secs,
                           ClientEvaluator.Result clients) {
        double[] personal = s.personalAccuracy().stream().mapToDouble(Double::doubleValue).toArray();
        boolean none = personal.length == 0;
        return new MetricsRow(cfg.name(), cfg.strategy().name(), round,
                eval == null ? null : eval.accuracy(), eval == null ? null : eval.loss(),
                s.clients() == 0 ? null : s.meanTrainLoss(), s.clients(), s.rejected(), s.dropped(), s.stragglers(),
                s.localSteps(),
                s.bytesDown(), s.bytesUp(), cumDown + s.bytesDown(), cumUp + s.bytesUp(), secs, s.trainSeconds(),
                clients == null ? null : clients.mean(), clients == null ? null : clients.p10(),
                clients == null ? null : clients.p90(), clients == null ? null : clients.byGroup(),
                none ? null : mean(personal), none ? null : ClientEvaluator.percentile(personal, 0.1),
                none ? null : ClientEvaluator.percentile(personal, 0.9), cfg.privacy().epsilonAfter(round));
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) sum += v;
        return sum / values.length;
    }
}
