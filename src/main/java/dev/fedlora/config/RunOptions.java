package dev.fedlora.config;

import com.typesafe.config.Config;
import java.io.Serializable;

/**
 * How the run is executed and what it writes: evaluation cadence and test-set partitions, Spark
 * tasks per round, output root, optional per-round adapter dumps and the checkpoint interval.
 */
public record RunOptions(int evalEvery, int evalPartitions, int tasksPerRound, String outputDir,
                         boolean saveAdapters, boolean saveClientUpdates, int checkpointEvery) implements Serializable {
    static RunOptions from(Config c) {
        return new RunOptions(
                Keys.intIn(c, "eval.every", 1, Integer.MAX_VALUE),
                Keys.intIn(c, "eval.partitions", 1, 10_000),
                Keys.intIn(c, "engine.tasks-per-round", 1, 100_000),
                Keys.string(c, "output.dir"),
                Keys.bool(c, "output.save-adapters"),
                Keys.bool(c, "output.save-client-updates"),
                Keys.intIn(c, "output.checkpoint-every", 0, 1_000_000));
    }
}
