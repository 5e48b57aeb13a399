package io.acrretention.store;

/**
 * Reading or writing a document failed, or the document is not what it must be; the message names
 * the path.
 */
public final class StoreException extends RuntimeException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
