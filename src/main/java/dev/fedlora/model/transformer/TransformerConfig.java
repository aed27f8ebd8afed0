package dev.fedlora.model.transformer;

import java.io.Serializable;

/**
 * The shape of a {@link TransformerBase}: vocabulary size, context length (the longest token
 * sequence), model width {@code dModel}, attention heads (each {@code dModel / heads} wide),
 * layers (blocks), and the MLP's hidden width {@code dFF}.
 *
 * @throws IllegalArgumentException naming the field and the value found: any field below 1,
 *     {@code dModel} not divisible by {@code heads}, or a tensor too large for one Java array
 */
public record TransformerConfig(int vocabSize, int contextLength, int dModel, int heads, int layers, int dFF)
        implements Serializable {

    public TransformerConfig {
        atLeastOne("vocabSize", vocabSize);
        atLeastOne("contextLength", contextLength);
        atLeastOne("dModel", dModel);
        atLeastOne("heads", heads);
        atLeastOne("layers", layers);
        atLeastOne("dFF", dFF);
        if (dModel % heads != 0) {
            throw new IllegalArgumentException("dModel must be divisible by heads, found dModel=" + dModel
                    + " heads=" + heads);
        }
        fitsOneArray("vocabSize * dModel", (long) vocabSize * dModel);
        fitsOneArray("contextLength * dModel", (long) contextLength * dModel);
        fitsOneArray("dFF * dModel", (long) dFF * dModel);
    }

    /** Width of one attention head, {@code dModel / heads}. */
    public int headDim() {
        return dModel / heads;
    }

    private static void atLeastOne(String field, int value) {
        if (value < 1) throw new IllegalArgumentException(field + " must be >= 1, found " + value);
    }

    private static void fitsOneArray(String what, long values) {
        if (values > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(what + " must fit in one array (< 2^31 values), found " + values);
        }
    }
}
