package io.acrretention.cleanup;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Spaces one instance's registry writes so that instances sharing a registry's quota stay near it
 * with few 429s, however many there are (docs/performance.md). Shared by every cleaner of the
 * instance working on that registry. Additive increase, multiplicative decrease: while nothing is
 * throttled the rate grows by {@code max} over {@code ramp}, up to {@code max}; a 429 halves it, at
 * most once per {@code hold} (the workers in flight when the quota ran out all see a 429 for the
 * same overrun). The registry's 429 and Retry-After still hold the quota ({@link ThrottleGate});
 * this only keeps instances from asking for much more than it.
 */
public final class WritePacer {
    /** No pacing: writes go as fast as the workers send them (no quota configured). */
    public static final WritePacer UNPACED = new WritePacer();

    private static final double DECREASE = 0.5;

    private final boolean paced;
    private final double max;
    private final double min;
    private final double perSecondPerNano;
    private final long holdNanos;
    private final Clock clock;
    private final Sleeper sleeper;

    private double rate;
    private Instant next;
    private Instant grown;
    private Instant lastCut;

    private WritePacer() {
        this.paced = false;
        this.max = Double.POSITIVE_INFINITY;
        this.min = Double.POSITIVE_INFINITY;
        this.perSecondPerNano = 0;
        this.holdNanos = 0;
        this.clock = Clock.systemUTC();
        this.sleeper = Sleeper.SYSTEM;
        this.next = Instant.MIN;
    }

    /**
     * @param max the most writes a second this instance sends
     * @param start the rate it starts at
     * @param ramp how long the rate takes to grow from nothing to {@code max}
     * @param hold after a cut, how long further 429s do not cut again
     */
    public WritePacer(
            double max, double start, Duration ramp, Duration hold, Clock clock, Sleeper sleeper) {
        if (!(max > 0) || !(start > 0) || start > max || ramp.isNegative() || ramp.isZero()) {
            throw new IllegalArgumentException(
                    "pacing needs 0 < start <= max and a positive ramp, not start "
                            + start
                            + ", max "
                            + max
                            + ", ramp "
                            + ramp);
        }
        this.paced = true;
        this.max = max;
        // Forty instances each at a fortieth must still be above the floor.
        this.min = max / 200;
        this.perSecondPerNano = max / ramp.toNanos();
        this.holdNanos = hold.toNanos();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.rate = start;
        this.grown = clock.instant();
        this.next = grown;
    }

    /**
     * Waits for this write's turn; false, without waiting or taking a turn, when the turn would
     * come only after the deadline.
     */
    boolean awaitTurn(Instant deadline) throws InterruptedException {
        if (!paced) {
            return true;
        }
        Instant turn;
        synchronized (this) {
            Instant now = clock.instant();
            grow(now);
            // A worker that woke late (a loaded machine oversleeps) leaves its turn unused; up to
            // a hold's worth of such turns may be caught up at once, so late wake-ups do not
            // lower the pace.
            Instant earliest = now.minusNanos(holdNanos);
            if (next.isBefore(earliest)) {
                next = earliest;
            }
            turn = next.isAfter(now) ? next : now;
            if (turn.isAfter(deadline)) {
                return false;
            }
            next = next.plusNanos((long) (1e9 / rate));
        }
        sleeper.sleep(Duration.between(clock.instant(), turn));
        return true;
    }

    /** The registry answered a write with 429: cut the rate, once per hold. */
    synchronized void throttled() {
        if (!paced) {
            return;
        }
        Instant now = clock.instant();
        grow(now);
        if (lastCut != null && Duration.between(lastCut, now).toNanos() < holdNanos) {
            return;
        }
        lastCut = now;
        rate = Math.max(min, rate * DECREASE);
    }

    /** Writes a second it allows now. */
    synchronized double rate() {
        return rate;
    }

    private void grow(Instant now) {
        long elapsed = Duration.between(grown, now).toNanos();
        if (elapsed > 0) {
            rate = Math.min(max, rate + elapsed * perSecondPerNano);
            grown = now;
        }
    }
}
