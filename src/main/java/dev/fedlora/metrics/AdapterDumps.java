package dev.fedlora.metrics;

import dev.fedlora.model.LoraParams;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;

/** Writes an adapter as one {@code .npy} per tensor: {@code PREFIX-A0.npy}, {@code PREFIX-B0.npy}, ..., head. */
public final class AdapterDumps {
    private AdapterDumps() {}

    public static void write(String prefix, LoraParams p, Configuration conf) throws IOException {
        for (int l = 0; l < p.a.length; l++) {
            NpyWriter.write(prefix + "-A" + l + ".npy", conf, p.a[l], p.rank, p.shape.in(l));
            NpyWriter.write(prefix + "-B" + l + ".npy", conf, p.b[l], p.shape.out(l), p.rank);
        }
        NpyWriter.write(prefix + "-head-W.npy", conf, p.headW, p.shape.classes(), p.shape.lastHidden());
        NpyWriter.write(prefix + "-head-b.npy", conf, p.headB, p.shape.classes());
    }
}
