package dev.fedlora.data;

/**
 * A data file is missing or not what it should be. The message names the file and says what was
 * expected and what was found.
 */
public class DataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
