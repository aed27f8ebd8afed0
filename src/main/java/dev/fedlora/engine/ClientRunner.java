package dev.fedlora.engine;

import dev.fedlora.client.LocalTrainer;
import dev.fedlora.client.TrainConfig;
import dev.fedlora.client.TrainResult;
import dev.fedlora.data.ClientShards;
import dev.fedlora.data.LabeledImages;
import dev.fedlora.model.BaseMlp;
import dev.fedlora.model.LoraParams;
import dev.fedlora.model.ModelShape;
import dev.fedlora.random.Seeds;
import dev.fedlora.strategy.Accumulator;
import dev.fedlora.strategy.ClientUpdate;
import dev.fedlora.strategy.Strategy;
import dev.fedlora.strategy.Upload;
import java.io.Serializable;
import java.util.Iterator;
import org.apache.spark.broadcast.Broadcast;

/**
 * The executor half of a round: for each client of a task, derive its shard and seed, train it
 * from the strategy's download, encode its upload and fold it into the task's partial.
 */
public final class ClientRunner implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Broadcast<LabeledImages> trainData;
    private final Broadcast<BaseMlp> base;
    private final ModelShape shape;
    private final float scale;
    private final TrainConfig train;
    private final Strategy strategy;
    private final ShardSpec shardSpec;
    private final long seed;
    private final UpdateDumps updateDumps;

    public ClientRunner(Broadcast<LabeledImages> trainData, Broadcast<BaseMlp> base, ModelShape shape, float scale,
                        TrainConfig train, Strategy strategy, ShardSpec shardSpec, long seed, UpdateDumps updateDumps) {
        this.trainData = trainData;
        this.base = base;
        this.shape = shape;
        this.scale = scale;
        this.train = train;
        this.strategy = strategy;
        this.shardSpec = shardSpec;
        this.seed = seed;
        this.updateDumps = updateDumps;
    }

    /** Trains every client in {@code slots} and folds their updates into one partial. */
    public Partial run(Iterator<ClientSlot> slots, RoundInput input) {
        Nd4jRuntime.configureForTask();
        LabeledImages data = trainData.value();
        ClientShards shards = shardSpec.shardsOf(data);
        LocalTrainer trainer = new LocalTrainer(input.baseOr(base.value()), shape, scale, train);
        Accumulator acc = strategy.zero(input.global());
        RoundStats stats = new RoundStats();
        while (slots.hasNext()) {
            ClientSlot slot = slots.next();
            int[] shard = shards.shard(slot.clientId());
            LoraParams start = input.download().startFor(slot.rank());
            TrainResult result = trainer.train(start, data, shard, strategy.trainsA(),
                    Seeds.rng(seed, Seeds.Purpose.CLIENT_TRAIN, input.round(), slot.clientId()));
            Upload upload = strategy.upload(input.download(), start, result.params());
            ClientUpdate update = new ClientUpdate(slot.clientId(), slot.rank(), shard.length, upload.payload());
            long down = input.download().bytesFor(slot.rank());
            if (!upload.payload().isFinite()) {
                stats.rejected++;
                continue;
            }
            acc.add(update);
            stats.addClient(shard.length, result.meanLoss(), result.steps(), down, upload.bytes());
            if (updateDumps != null) updateDumps.write(input.round(), update);
        }
        return new Partial(acc, stats);
    }
}
