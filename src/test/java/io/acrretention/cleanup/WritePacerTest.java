package io.acrretention.cleanup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acrretention.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WritePacerTest {
    static final Instant T0 = Instant.parse("2024-06-01T00:00:00Z");
    final ManualClock clock = new ManualClock(T0);
    final Sleeper sleeper = clock::advance;

    WritePacer pacer(double max, double start) {
        return new WritePacer(
                max, start, Duration.ofSeconds(30), Duration.ofSeconds(3), clock, sleeper);
    }

    /** Writes granted in {@code seconds} of the fake clock by callers that never stop asking. */
    int turnsIn(WritePacer p, int seconds) throws InterruptedException {
        Instant end = clock.instant().plusSeconds(seconds);
        int turns = 0;
        while (p.awaitTurn(end)) {
            turns++;
        }
        return turns;
    }

    @Test
    void anUnthrottledInstanceGrowsToItsMaximumRateAndStaysThere() throws Exception {
        WritePacer p = pacer(10, 5);

        int firstMinute = turnsIn(p, 60);
        int secondMinute = turnsIn(p, 60);

        assertEquals(10.0, p.rate(), 1e-9);
        // From 5 a second, growing by 10 a second over 30 s: 15 s to reach 10, then flat.
        assertTrue(firstMinute > 540 && firstMinute <= 600, "first minute " + firstMinute);
        assertTrue(secondMinute >= 599 && secondMinute <= 601, "second minute " + secondMinute);
    }

    @Test
    void aThrottledWriteHalvesTheRateOnceForTheWholeOverrun() {
        WritePacer p = pacer(10, 10);

        p.throttled();
        p.throttled();
        p.throttled();
        assertEquals(5.0, p.rate(), 1e-9, "the 429s of one overrun cut once");

        clock.advance(Duration.ofSeconds(3));
        p.throttled();
        assertEquals((5.0 + 1.0) / 2, p.rate(), 1e-9, "after the hold, grown by 3 s, cut again");
    }

    @Test
    void theRateNeverFallsBelowATwoHundredthOfItsMaximum() {
        WritePacer p = pacer(10, 10);
        for (int i = 0; i < 20; i++) {
            p.throttled();
            clock.advance(Duration.ofSeconds(3));
            p.throttled();
        }
        assertTrue(p.rate() >= 0.05, "rate " + p.rate());
    }

    @Test
    void aTurnThatWouldComeAfterTheDeadlineIsRefusedWithoutWaitingOrTakingIt() throws Exception {
        WritePacer p = pacer(1, 1);
        assertTrue(p.awaitTurn(T0.plusSeconds(10)));
        Instant deadline = clock.instant().plusMillis(500);

        assertFalse(p.awaitTurn(deadline), "the next turn is 1 s away");
        assertEquals(T0, clock.instant(), "nothing waited");
        assertTrue(p.awaitTurn(T0.plusSeconds(10)));
        assertEquals(T0.plusSeconds(1), clock.instant(), "the refused turn was not taken");
    }

    @Test
    void turnsMissedByALateWakeUpAreCaughtUpToAHoldsWorthAndNoMore() throws Exception {
        WritePacer p = pacer(10, 10);
        turnsIn(p, 1);
        clock.advance(Duration.ofSeconds(10));

        Instant now = clock.instant();
        int atOnce = 0;
        while (p.awaitTurn(now)) {
            atOnce++;
        }

        assertEquals(31, atOnce, "3 s of turns at 10 a second, and the one due now");
        assertEquals(now, clock.instant(), "none of them waited");
    }

    @Test
    void unpacedWritesNeverWait() throws Exception {
        for (int i = 0; i < 1000; i++) {
            assertTrue(WritePacer.UNPACED.awaitTurn(T0));
        }
        WritePacer.UNPACED.throttled();
        assertEquals(T0, clock.instant());
    }
}
