package io.acrretention.registry;

/**
 * The registry's pull logs could not be read completely: a failed, throttled-out, partial or
 * malformed answer. Never read as "nothing was pulled": the run withholds deletion for that
 * registry.
 */
public final class PullLogException extends RuntimeException {
    public PullLogException(String message) {
        super(message);
    }

    public PullLogException(String message, Throwable cause) {
        super(message, cause);
    }
}
