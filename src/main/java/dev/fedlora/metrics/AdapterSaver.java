package dev.fedlora.metrics;

import dev.fedlora.ranks.RankPolicy;
import dev.fedlora.strategy.GlobalModel;
import org.apache.hadoop.conf.Configuration;

/** Writes the global adapter after every round as {@code adapters/round-RRRR-*.npy}. */
public final class AdapterSaver implements RoundListener {
    private final RunFolderWriter output;
    private final Configuration conf;

    public AdapterSaver(RunFolderWriter output, Configuration conf) {
        this.output = output;
        this.conf = conf;
    }

    @Override
    public void onRound(MetricsRow row, GlobalModel<?> global, RankPolicy ranks) throws Exception {
        AdapterDumps.write(output.adapterPrefix(row.round()), global.adapter(), conf);
    }
}
