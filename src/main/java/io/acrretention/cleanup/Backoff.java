package io.acrretention.cleanup;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How the cleaner retries a throttled or failed registry call: at most {@code maxAttempts} tries,
 * waiting {@code base * 2^(attempt-1)} capped at {@code max}, with full jitter so workers do not
 * retry in step. A Retry-After from the registry wins over the computed wait.
 */
public record Backoff(int maxAttempts, Duration base, Duration max) {
    public Backoff {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, not " + maxAttempts);
        }
        if (base.isNegative() || max.compareTo(base) < 0) {
            throw new IllegalArgumentException(
                    "back-off needs 0 <= base <= max, not " + base + " and " + max);
        }
    }

    /**
     * Enough attempts that a minute-long write quota is waited out rather than turned into
     * failures.
     */
    public static Backoff defaults() {
        return new Backoff(12, Duration.ofMillis(500), Duration.ofSeconds(30));
    }

    /** The wait after the given failed attempt (1-based) when the registry did not say how long. */
    Duration delay(int attempt) {
        long cap = Math.min(max.toMillis(), base.toMillis() << Math.min(20, attempt - 1));
        return Duration.ofMillis(cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1));
    }
}
