package io.acrretention.cleanup;

import io.acrretention.registry.RegistryException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * The retry rules of one request's registry calls, shared by its workers: throttling, 5xx and
 * network failures are retried with jittered exponential back-off; a Retry-After wins and closes
 * the {@link ThrottleGate} for every worker. Gives up after {@link Backoff#maxAttempts()}; when the
 * next attempt could start only after the deadline it throws {@link DeadlineReached} instead, so
 * the decision is left for the continuation rather than failed. Reads retry themselves ({@link
 * #read}); a write's caller loops, because it must read again before every attempt. An interrupt
 * while waiting is {@link Interrupted}, never a registry error.
 */
final class Retrier {
    private final Backoff backoff;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Instant deadline;
    private final String where;
    private final ThrottleGate gate;

    /**
     * @param where the repository and registry, for messages: {@code app/api on mactemp.azurecr.io}
     */
    Retrier(Backoff backoff, Clock clock, Sleeper sleeper, Instant deadline, String where) {
        this.backoff = backoff;
        this.clock = clock;
        this.sleeper = sleeper;
        this.deadline = deadline;
        this.where = where;
        this.gate = new ThrottleGate(clock, sleeper);
    }

    /** A read, retried until it answers or the rules give up (then its last failure is thrown). */
    <T> T read(Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            awaitGate();
            try {
                return call.get();
            } catch (RegistryException e) {
                waitAfter(e, attempt);
            }
        }
    }

    /**
     * Blocks while the registry asked every worker to wait; {@link DeadlineReached} when it opens
     * only after it.
     */
    void awaitGate() {
        boolean open;
        try {
            open = gate.awaitOpen(deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Interrupted("interrupted while throttled in " + where, e);
        }
        if (!open) {
            throw new DeadlineReached(
                    "throttled in " + where + " until after the deadline " + deadline);
        }
    }

    /**
     * After the given failed attempt (1-based): returns once the next attempt may start, rethrows
     * {@code e} when it must not be retried or attempts are used up, and throws {@link
     * DeadlineReached} when the wait would end after the deadline.
     */
    void waitAfter(RegistryException e, int attempt) {
        if (!e.kind().retryable() || attempt >= backoff.maxAttempts()) {
            throw e;
        }
        Duration wait = e.retryAfter().orElseGet(() -> backoff.delay(attempt));
        if (clock.instant().plus(wait).isAfter(deadline)) {
            throw new DeadlineReached(
                    "retry in "
                            + where
                            + " after "
                            + wait
                            + " would start after the deadline "
                            + deadline
                            + " ("
                            + e.getMessage()
                            + ")");
        }
        if (e.kind() == RegistryException.Kind.THROTTLED) {
            gate.closeFor(wait);
            return;
        }
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new Interrupted("interrupted while waiting to retry in " + where, ie);
        }
    }
}
