package dev.fedlora.engine;

import dev.fedlora.client.LocalTrainer;
import dev.fedlora.client.TrainResult;
import dev.fedlora.config.FaultConfig;
import dev.fedlora.config.TrainConfig;
import dev.fedlora.data.ClientShards;
import dev.fedlora.data.Examples;
import dev.fedlora.fault.FaultInjection;
import dev.fedlora.model.AdaptableModel;
import dev.fedlora.model.Adapter;
import dev.fedlora.model.AdapterLayout;
import dev.fedlora.random.Seeds;
import dev.fedlora.client.TrainingSpec;
import dev.fedlora.comm.Payload;
import dev.fedlora.state.ClientState;
import dev.fedlora.state.ClientStateStore;
import dev.fedlora.state.StateLocation;
import dev.fedlora.strategy.Accumulator;
import dev.fedlora.strategy.ClientMemory;
import dev.fedlora.strategy.ClientUpdate;
import dev.fedlora.strategy.Download;
import dev.fedlora.strategy.Strategy;
import dev.fedlora.strategy.Upload;
import java.io.Serializable;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The client loop, the one every backend runs in its tasks: for each client of a task, derive its
 * shard and seed, train it from the strategy's download, encode its upload and fold it into the
 * task's partial. An update that is not finite or exceeds the norm bound is dropped and counted as
 * rejected. For a strategy whose clients remember ({@link Strategy#clientMemory}), a client starts
 * from its state, read from the {@link ClientStateStore} at the location its slot carries, and the
 * states of the task's folded clients are written as one file at the end of the task; a client that
 * drops out or is rejected keeps its previous state. A personalised strategy's start adapter is first
 * scored on the client's held-out split, when the shards hold one out.
 */
public final class ClientRunner<D extends Download, P extends Payload, A extends Accumulator<P, A>>
        implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LogManager.getLogger(ClientRunner.class);

    private final Backend.Shared<Examples> trainData;
    private final Backend.Shared<AdaptableModel> base;
    private final AdapterLayout layout;
    private final float scale;
    private final TrainConfig train;
    private final Strategy<D, P, A, ?> strategy;
    private final ShardSpec shardSpec;
    private final long seed;
    private final UpdateDumps updateDumps;
    private final FaultConfig faults;
    private final ClientStateStore states;

    public ClientRunner(Backend.Shared<Examples> trainData, Backend.Shared<AdaptableModel> base, AdapterLayout layout,
                        float scale, TrainConfig train, Strategy<D, P, A, ?> strategy, ShardSpec shardSpec, long seed,
                        FaultConfig faults, UpdateDumps updateDumps) {
        this(trainData, base, layout, scale, train, strategy, shardSpec, seed, faults, updateDumps, null);
    }

    /** @param states where the clients' states live; null for a strategy whose clients keep none */
    public ClientRunner(Backend.Shared<Examples> trainData, Backend.Shared<AdaptableModel> base, AdapterLayout layout,
                        float scale, TrainConfig train, Strategy<D, P, A, ?> strategy, ShardSpec shardSpec, long seed,
                        FaultConfig faults, UpdateDumps updateDumps, ClientStateStore states) {
        this.states = states;
        this.trainData = trainData;
        this.base = base;
        this.layout = layout;
        this.scale = scale;
        this.train = train;
        this.strategy = strategy;
        this.shardSpec = shardSpec;
        this.seed = seed;
        this.faults = faults;
        this.updateDumps = updateDumps;
    }

    /** Trains every client in {@code slots} and folds their updates into one partial. */
    public Partial<A> run(Iterator<ClientSlot> slots, RoundInput<D> input) {
        Examples data = trainData.value();
        ClientShards shards = shardSpec.shardsOf(data);
        D download = input.download();
        TrainingSpec spec = download.training();
        LocalTrainer trainer = new LocalTrainer(base.value(), scale, train);
        A acc = strategy.zero(layout, input.maxRank());
        RoundStats stats = new RoundStats();
        ClientMemory<D, P> memory = strategy.clientMemory().orElse(null);
        if (memory != null && states == null) {
            throw new IllegalStateException("the clients of this strategy keep state, but no state store was given");
        }
        boolean personal = memory != null && memory.personalised() && shardSpec.validationFraction() > 0;
        AdaptableModel frozen = personal ? spec.baseDelta().applyTo(base.value()) : null;
        ClientStateStore.TaskStates kept = null;
        while (slots.hasNext()) {
            ClientSlot slot = slots.next();
            int client = slot.clientId();
            FaultInjection.Fault fault = FaultInjection.pick(faults, seed, input.round(), client);
            long down = download.bytesFor(slot.rank());
            if (fault == FaultInjection.Fault.DROPOUT) {
                stats.drop(down);
                continue;
            }
            if (FaultInjection.straggles(faults, seed, input.round(), client)) {
                stats.stragglers++;
                sleep(faults.stragglerDelayMs());
            }
            int[] shard = shardSpec.trainingPart(shards, client);
            Optional<ClientState> previous = memory == null || slot.state() == null ? Optional.empty()
                    : Optional.of(states.read(client, slot.state()));
            Adapter start = memory == null ? download.startFor(slot.rank()) : memory.start(download, slot.rank(), previous);
            if (personal) {
                stats.personalAccuracy.add(ValidationScorer.heldOutAccuracy(shardSpec, data, client, frozen, scale, start));
            }
            long t0 = System.nanoTime();
            TrainResult result = trainer.train(start, data, shard, spec,
                    Seeds.rng(seed, Seeds.Purpose.CLIENT_TRAIN, input.round(), client));
            stats.trainNanos += System.nanoTime() - t0;
            Adapter trained = FaultInjection.corrupt(fault, start, result.params());
            Upload<P> upload;
            ClientState next = null;
            if (memory == null) {
                upload = strategy.upload(download, start, trained);
            } else {
                ClientMemory.Remembered<P> remembered = memory.upload(download, start, trained, previous);
                upload = remembered.upload();
                next = remembered.next();
            }
            String rejection = rejection(updateNorm(start, trained));
            if (rejection == null && !upload.payload().isFinite()) rejection = "non-finite values after encoding";
            if (rejection != null) {
                stats.reject(client, rejection, down, upload.bytes());
                LOG.warn("round {}: rejected the update of client {}: {}", input.round(), client, rejection);
                continue;
            }
            ClientUpdate<P> update = new ClientUpdate<>(client, trained.rank, shard.length, upload.payload());
            acc.add(update);
            stats.addClient(shard.length, result.meanLoss(), result.steps(), down, upload.bytes());
            if (updateDumps != null) updateDumps.write(input.round(), update);
            if (next != null) {
                if (kept == null) kept = states.forTask(input.round(), slot.task());
                kept.put(client, next);
            }
        }
        Map<Integer, StateLocation> written = kept == null ? new LinkedHashMap<>() : kept.write();
        return new Partial<>(acc, stats, written);
    }

    /**
     * The update's norm when a bound needs it; without a bound only whether it is finite matters
     * (0 or NaN), which a scan finds without the norm's arithmetic.
     */
    private double updateNorm(Adapter start, Adapter trained) {
        if (faults.maxUpdateNorm() > 0) return trained.distanceTo(start);
        return trained.isFinite() && start.isFinite() ? 0 : Double.NaN;
    }

    /** Why an update with this norm must be dropped, or null if it may be folded in. */
    private String rejection(double norm) {
        if (!Double.isFinite(norm)) return "non-finite values";
        if (faults.maxUpdateNorm() > 0 && norm > faults.maxUpdateNorm()) {
            return String.format("update norm %.4g exceeds robustness.max-update-norm = %s", norm, faults.maxUpdateNorm());
        }
        return null;
    }

    private static void sleep(int ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while simulating a straggler", e);
        }
    }
}
