package io.acrretention.registry;

import java.time.Duration;
import java.util.Optional;

/** A registry call that failed, with what was tried, on what, and why. */
public final class RegistryException extends RuntimeException {
    public enum Kind {
        UNAUTHORIZED(false),
        NOT_FOUND(false),
        LOCKED(false),
        THROTTLED(true),
        SERVER(true),
        NETWORK(true),
        OTHER(false);

        private final boolean retryable;

        Kind(boolean retryable) {
            this.retryable = retryable;
        }

        public boolean retryable() {
            return retryable;
        }
    }

    private final Kind kind;
    private final int status;
    private final Duration retryAfter;

    public RegistryException(Kind kind, int status, String message, Throwable cause) {
        this(kind, status, message, null, cause);
    }

    public RegistryException(
            Kind kind, int status, String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
        this.retryAfter = retryAfter;
    }

    /** What the registry asked us to wait before trying again, when it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    public Kind kind() {
        return kind;
    }

    /** HTTP status, or 0 when the call never got an answer. */
    public int status() {
        return status;
    }
}
