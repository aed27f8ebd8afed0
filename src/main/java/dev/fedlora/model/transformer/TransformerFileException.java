package dev.fedlora.model.transformer;

/** A transformer base file that cannot be used; the message names the file and the fault. */
public final class TransformerFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TransformerFileException(String message) {
        super(message);
    }

    public TransformerFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
