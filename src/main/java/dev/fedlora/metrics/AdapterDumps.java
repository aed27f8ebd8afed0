package dev.fedlora.metrics;

import dev.fedlora.comm.Payload;
import java.io.IOException;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * Writes an adapter or an upload as one {@code .npy} per tensor, {@code PREFIX-<name>.npy} in the
 * payload's own order: {@code fc1.lora_A}, {@code fc1.lora_B}, ..., {@code head.weight},
 * {@code head.bias} for an adapter of the mlp (PEFT's tensor names).
 */
public final class AdapterDumps {
    private AdapterDumps() {}

    public static void write(String prefix, Payload p, Configuration conf) throws IOException {
        for (Map.Entry<String, Payload.Tensor> t : p.tensors().entrySet()) {
            Payload.Tensor v = t.getValue();
            String path = prefix + "-" + t.getKey() + ".npy";
            if (v.cols() == 0) {
                NpyWriter.write(path, conf, v.values(), v.rows());
            } else {
                NpyWriter.write(path, conf, v.values(), v.rows(), v.cols());
            }
        }
    }
}
