package io.acrretention.cleanup;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Shared by all workers of a cleaner: when the registry throttles one of them, every worker waits
 * until the Retry-After has passed. Without it, the other workers keep hitting a quota that is
 * already spent, each 429 costs an attempt, and a sustained quota turns into failed deletes.
 */
final class ThrottleGate {
    private final Clock clock;
    private final Sleeper sleeper;
    private final AtomicReference<Instant> openAt = new AtomicReference<>(Instant.MIN);

    ThrottleGate(Clock clock, Sleeper sleeper) {
        this.clock = clock;
        this.sleeper = sleeper;
    }

    void closeFor(Duration wait) {
        Instant until = clock.instant().plus(wait);
        openAt.accumulateAndGet(until, (a, b) -> a.isAfter(b) ? a : b);
    }

    /**
     * Waits until the gate is open; false (without waiting) when it opens only after the deadline.
     */
    boolean awaitOpen(Instant deadline) throws InterruptedException {
        while (true) {
            Instant open = openAt.get();
            Instant now = clock.instant();
            if (!open.isAfter(now)) {
                return true;
            }
            if (open.isAfter(deadline)) {
                return false;
            }
            sleeper.sleep(Duration.between(now, open));
        }
    }
}
