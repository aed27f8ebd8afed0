package dev.fedlora.engine;

import dev.fedlora.metrics.AdapterDumps;
import dev.fedlora.strategy.ClientUpdate;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;

/**
 * Writes each client's upload as {@code .npy} from the executor that trained it, under
 * {@code <run>/updates/round-RRRR/client-CCCCCCC-*.npy} (on a cluster the run folder must be on a
 * shared file system such as HDFS or S3).
 */
public record UpdateDumps(String runDir) implements Serializable {
    void write(int round, ClientUpdate<?> update) {
        String prefix = runDir + "/updates/" + String.format("round-%04d/client-%07d", round, update.clientId());
        try {
            AdapterDumps.write(prefix, update.payload(), new Configuration());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write update of client " + update.clientId(), e);
        }
    }
}
