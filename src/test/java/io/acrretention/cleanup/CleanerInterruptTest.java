package io.acrretention.cleanup;

import static io.acrretention.cleanup.CleanerDeadlineTest.count;
import static io.acrretention.cleanup.CleanerDeadlineTest.request;
import static io.acrretention.cleanup.CleanerTest.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acrretention.registry.Manifest;
import io.acrretention.registry.Registry;
import io.acrretention.registry.RegistryException;
import io.acrretention.registry.RepositoryArtifacts;
import io.acrretention.retention.Plan;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An interrupt means "stop now", not "the registry failed": what it cuts short is left for the
 * continuation, and whoever asked for the stop still sees it.
 */
class CleanerInterruptTest {
    final CleanerDeadlineTest deadlines = new CleanerDeadlineTest();
    final CleanerTest.MemoryRegistry memory = deadlines.memory;

    /** Our port over the in-memory one; the third manifest's delete answers 503 once. */
    final class OneServerError implements Registry {
        final String failing;
        boolean failed;

        OneServerError(String failing) {
            this.failing = failing;
        }

        @Override
        public String loginServer() {
            return memory.loginServer();
        }

        @Override
        public List<String> repositories() {
            return memory.repositories();
        }

        @Override
        public RepositoryArtifacts artifacts(String repository) {
            return memory.artifacts(repository);
        }

        @Override
        public Optional<Manifest> refresh(String repository, String digest) {
            return memory.refresh(repository, digest);
        }

        @Override
        public DeleteOutcome deleteManifest(String repository, String digest) {
            if (digest.equals(failing) && !failed) {
                failed = true;
                throw new RegistryException(
                        RegistryException.Kind.SERVER, 503, "delete " + digest + ": 503", null);
            }
            return memory.deleteManifest(repository, digest);
        }

        @Override
        public DeleteOutcome untag(String repository, String tag) {
            return memory.untag(repository, tag);
        }
    }

    @AfterEach
    void clearTheInterruptThisTestExpects() {
        Thread.interrupted();
    }

    @Test
    void anInterruptDuringTheBackOffLeavesTheDecisionForTheContinuationAndFailsNothing() {
        Plan plan = deadlines.plan(8);
        String failing = plan.decisions().get(2).digest();
        // The interrupt arrives while the worker waits to retry the 503: the real sleep throws.
        Sleeper interruptedWhileWaiting =
                d -> {
                    Thread.currentThread().interrupt();
                    Sleeper.SYSTEM.sleep(d);
                };
        Cleaner cleaner =
                new Cleaner(
                        new OneServerError(failing),
                        1,
                        new Backoff(5, Duration.ofMillis(100), Duration.ofSeconds(2)),
                        deadlines.clock,
                        interruptedWhileWaiting);

        Report report =
                cleaner.apply(request(plan, 0, T0.plusSeconds(3600), DeleteBudget.inMemory(100)));

        assertEquals(0, count(report, Result.FAILED), report.totals().resultsText());
        assertTrue(
                report.entries().stream().allMatch(e -> e.error() == null),
                "no error is made up for an interrupt: " + report.entries());
        assertFalse(report.complete());
        assertEquals(2, report.nextIndex(), "keep, delete; the interrupted delete is left");
        assertEquals(report.nextIndex(), report.entries().size());
        assertTrue(memory.manifests.containsKey(failing), "the interrupted delete did not happen");
        assertTrue(Thread.interrupted(), "the caller's thread is still asked to stop");
    }
}
