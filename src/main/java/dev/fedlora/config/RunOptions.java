package dev.fedlora.config;

import com.typesafe.config.Config;
import java.io.Serializable;

/**
 * How the run is executed and what it writes: evaluation cadence and test-set partitions, the
 * client-side evaluation (clients visited per evaluation, their held-out share), Spark
 * tasks per round, output root, optional per-round adapter dumps, the checkpoint interval and the
 * run-folder lock's heartbeat interval and stale threshold.
 */
public record RunOptions(int evalEvery, int evalPartitions, int evalClients, double evalClientHoldout,
                         int tasksPerRound, String outputDir,
                         boolean saveAdapters, boolean saveClientUpdates, int checkpointEvery,
                         int lockHeartbeatSeconds, int lockStaleAfterSeconds) implements Serializable {
    static RunOptions from(Config c) {
        int heartbeat = Keys.intIn(c, "output.lock.heartbeat-seconds", 1, 3600);
        int staleAfter = Keys.intIn(c, "output.lock.stale-after-seconds", 2, 7 * 24 * 3600);
        if (staleAfter < 2 * heartbeat) {
            throw new ConfigError("output.lock.stale-after-seconds = " + staleAfter + " is out of range: expected at"
                    + " least twice output.lock.heartbeat-seconds = " + heartbeat + ", so that a live run's lock"
                    + " never looks stale");
        }
        return new RunOptions(
                Keys.intIn(c, "eval.every", 1, Integer.MAX_VALUE),
                Keys.intIn(c, "eval.partitions", 1, 10_000),
                Keys.intIn(c, "eval.clients", 0, 1_000_000),
                Keys.doubleIn(c, "eval.client-holdout", 0, true, 1, true),
                Keys.intIn(c, "engine.tasks-per-round", 1, 100_000),
                Keys.string(c, "output.dir"),
                Keys.bool(c, "output.save-adapters"),
                Keys.bool(c, "output.save-client-updates"),
                Keys.intIn(c, "output.checkpoint-every", 0, 1_000_000),
                heartbeat,
                staleAfter);
    }
}
