package io.acrretention.cleanup;

import static io.acrretention.cleanup.CleanerDeadlineTest.count;
import static io.acrretention.cleanup.CleanerDeadlineTest.request;
import static io.acrretention.cleanup.CleanerTest.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acrretention.retention.Plan;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A cleaner whose writes an instance-wide {@link WritePacer} spaces (a registry with a quota). */
class CleanerPacingTest {
    final CleanerDeadlineTest quota = new CleanerDeadlineTest();
    final CleanerTest.FakeClock clock = quota.clock;

    /** One write every 4 s of the fake clock (each delete itself takes 1 s). */
    WritePacer slowPacer() {
        return new WritePacer(
                0.25, 0.25, Duration.ofDays(1), Duration.ofSeconds(3), clock, clock::advance);
    }

    @Test
    void aWriteWhosePacedTurnComesAfterTheDeadlineIsLeftForTheContinuationNotFailed() {
        Plan plan = quota.plan(10);
        DeleteBudget budget = DeleteBudget.inMemory(100);
        WritePacer pacer = slowPacer();

        Report first =
                quota.cleaner(quota.memory, 1)
                        .withPacer(pacer)
                        .apply(request(plan, 0, T0.plusSeconds(10), budget));

        assertEquals(0, count(first, Result.FAILED), first.totals().resultsText());
        assertFalse(first.complete());
        assertEquals(
                3,
                count(first, Result.DELETED),
                "turns at 0, 4 and 8 s; the next, at 12 s, is not");
        assertEquals(first.nextIndex(), first.entries().size());

        Report rest =
                quota.cleaner(quota.memory, 1)
                        .withPacer(pacer)
                        .apply(request(plan, first.nextIndex(), T0.plusSeconds(3600), budget));

        assertTrue(rest.complete());
        assertEquals(0, count(rest, Result.FAILED), rest.totals().resultsText());
        assertEquals(7, count(first, Result.DELETED) + count(rest, Result.DELETED));
    }

    @Test
    void aThrottledDeleteSlowsTheInstancesPace() {
        CleanerDeadlineTest.QuotaRegistry registry = quota.new QuotaRegistry(2, T0.plusSeconds(30));
        WritePacer pacer =
                new WritePacer(
                        10, 10, Duration.ofDays(1), Duration.ofSeconds(3), clock, clock::advance);

        Report report =
                quota.cleaner(registry, 1)
                        .withPacer(pacer)
                        .apply(
                                request(
                                        quota.plan(10),
                                        0,
                                        T0.plusSeconds(3600),
                                        DeleteBudget.inMemory(100)));

        assertTrue(report.complete());
        assertEquals(0, count(report, Result.FAILED), report.totals().resultsText());
        assertEquals(1, registry.throttled.get(), "the Retry-After was waited out, once");
        assertTrue(pacer.rate() < 10, "pace after the 429: " + pacer.rate());
    }
}
