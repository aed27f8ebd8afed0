package dev.fedlora.engine;

import dev.fedlora.comm.SparseVector;
import dev.fedlora.metrics.AdapterDumps;
import dev.fedlora.metrics.NpyWriter;
import dev.fedlora.model.LoraParams;
import dev.fedlora.strategy.ClientUpdate;
import dev.fedlora.strategy.FactorB;
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
    void write(int round, ClientUpdate update) {
        String prefix = runDir + "/updates/" + String.format("round-%04d/client-%07d", round, update.clientId());
        Configuration conf = new Configuration();
        try {
            if (update.payload() instanceof LoraParams p) {
                AdapterDumps.write(prefix, p, conf);
            } else if (update.payload() instanceof FactorB f) {
                for (int l = 0; l < f.b().length; l++) {
                    NpyWriter.write(prefix + "-B" + l + ".npy", conf, f.b()[l], f.b()[l].length / f.rank(), f.rank());
                }
                NpyWriter.write(prefix + "-head-W.npy", conf, f.headW(), f.headB().length, f.headW().length / f.headB().length);
                NpyWriter.write(prefix + "-head-b.npy", conf, f.headB(), f.headB().length);
            } else if (update.payload() instanceof SparseVector s) {
                float[] idx = new float[s.nnz()];
                for (int i = 0; i < idx.length; i++) idx[i] = s.indices()[i];
                NpyWriter.write(prefix + "-indices.npy", conf, idx, idx.length);
                NpyWriter.write(prefix + "-values.npy", conf, s.values(), s.nnz());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write update of client " + update.clientId(), e);
        }
    }
}
