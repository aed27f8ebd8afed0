package dev.fedlora.model.registry;

import dev.fedlora.model.AdaptableModel;
import dev.fedlora.model.BaseModelFile;
import dev.fedlora.model.LoraInit;
import dev.fedlora.model.MlpModel;
import dev.fedlora.model.transformer.TransformerBaseFile;
import dev.fedlora.model.transformer.TransformerModel;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/**
 * The models {@code model.type} may name, each read from its base file and given its adapter. Adding
 * a model is one {@link AdaptableModel} implementation plus one line here.
 */
public final class ModelTypes {
    /** The names {@code model.type} accepts. */
    public static final List<String> NAMES = List.of("mlp", "transformer");

    private ModelTypes() {}

    /**
     * The model of {@code type} on the base file at {@code basePath}, with a head of {@code classes}
     * where the model has one, LoRA on the modules {@code targets} selects (empty = the model's
     * default), {@code trainable} trained densely, every {@code A} started by {@code init}; with
     * {@code fastMath} the transformer's element-wise math in float ({@code model.fast-math}).
     *
     * @throws IllegalArgumentException for an unknown type, or targets/trainables the model lacks
     * @throws BaseModelFile.ModelFileException for a missing or corrupt base file
     */
    public static AdaptableModel load(String type, String basePath, int classes, List<String> targets,
                                      List<String> trainable, LoraInit init, boolean fastMath, Configuration conf) {
        return switch (type) {
            case "mlp" -> MlpModel.of(BaseModelFile.read(basePath, conf), classes, targets, trainable, init);
            case "transformer" -> TransformerModel.of(TransformerBaseFile.read(basePath, conf), classes, targets, trainable, init)
                    .withFastMath(fastMath);
            default -> throw new IllegalArgumentException("model.type = " + type + " is not one of: " + String.join(", ", NAMES));
        };
    }
}
