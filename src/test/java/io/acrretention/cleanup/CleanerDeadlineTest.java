package io.acrretention.cleanup;

import static io.acrretention.cleanup.CleanerTest.T0;
import static io.acrretention.cleanup.Plans.decide;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acrretention.registry.Manifest;
import io.acrretention.registry.Registry;
import io.acrretention.registry.RegistryException;
import io.acrretention.registry.RepositoryArtifacts;
import io.acrretention.retention.Action;
import io.acrretention.retention.Decision;
import io.acrretention.retention.Mode;
import io.acrretention.retention.Plan;
import io.acrretention.usage.RepositoryUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A registry whose write quota runs out near the end of an invocation: what cannot be attempted
 * before the deadline is left for the continuation, never reported failed.
 */
class CleanerDeadlineTest {
    final CleanerTest.FakeClock clock = new CleanerTest.FakeClock();
    final CleanerTest.MemoryRegistry memory = new CleanerTest.MemoryRegistry(clock);

    /**
     * Our port over the in-memory one with a write quota: after {@code allowed} deletes every
     * delete is refused with a 429 until {@code reopensAt}, its Retry-After saying how long that is
     * from now.
     */
    final class QuotaRegistry implements Registry {
        final int allowed;
        final Instant reopensAt;
        final AtomicInteger throttled = new AtomicInteger();
        final AtomicInteger granted = new AtomicInteger();

        QuotaRegistry(int allowed, Instant reopensAt) {
            this.allowed = allowed;
            this.reopensAt = reopensAt;
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
            Instant now = clock.instant();
            if (now.isBefore(reopensAt)
                    && granted.getAndUpdate(n -> n < allowed ? n + 1 : n) >= allowed) {
                throttled.incrementAndGet();
                throw new RegistryException(
                        RegistryException.Kind.THROTTLED,
                        429,
                        "delete manifest " + digest + " throttled",
                        Duration.between(now, reopensAt),
                        null);
            }
            return memory.deleteManifest(repository, digest);
        }

        @Override
        public DeleteOutcome untag(String repository, String tag) {
            return memory.untag(repository, tag);
        }
    }

    Cleaner cleaner(Registry registry, int concurrency) {
        return new Cleaner(
                registry,
                concurrency,
                new Backoff(5, Duration.ofMillis(100), Duration.ofSeconds(2)),
                clock,
                clock::advance);
    }

    /**
     * Every fourth manifest kept, the rest deleted; each delete takes one second of the fake clock.
     */
    Plan plan(int n) {
        List<Decision> ds = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Manifest m =
                    new Manifest(
                            "sha256:" + String.format("%064x", i),
                            null,
                            10,
                            T0,
                            T0,
                            true,
                            true,
                            List.of(),
                            List.of(),
                            null);
            memory.manifests.put(m.digest(), m);
            ds.add(decide(m, i % 4 == 0 ? Action.KEEP : Action.DELETE, List.of()));
        }
        return new Plan("mem.example", "r", T0, ds);
    }

    static CleanupRequest request(Plan plan, int from, Instant deadline, DeleteBudget budget) {
        return new CleanupRequest(
                "run", plan, RepositoryUsage.NONE, Mode.DELETE, List.of(), budget, from, deadline);
    }

    static long count(Report r, Result result) {
        return r.totals().results().getOrDefault(result, 0L);
    }

    @Test
    void aDeleteThrottledPastTheDeadlineEndsTheReportThereAndTheContinuationDeletesTheRest() {
        QuotaRegistry registry = new QuotaRegistry(2, T0.plusSeconds(60));
        Plan plan = plan(10);
        DeleteBudget budget = DeleteBudget.inMemory(100);

        Report first = cleaner(registry, 1).apply(request(plan, 0, T0.plusSeconds(5), budget));

        assertEquals(0, count(first, Result.FAILED), first.totals().resultsText());
        assertFalse(first.complete());
        assertEquals(
                3,
                first.nextIndex(),
                "keep, delete, delete; the throttled third delete is not applied");
        assertEquals(first.nextIndex(), first.entries().size());
        assertEquals(
                1, registry.throttled.get(), "nothing after the throttled delete was attempted");

        Report rest =
                cleaner(registry, 1)
                        .apply(request(plan, first.nextIndex(), T0.plusSeconds(3600), budget));

        assertTrue(rest.complete());
        assertEquals(0, count(rest, Result.FAILED), rest.totals().resultsText());
        assertEquals(10, first.entries().size() + rest.entries().size());
        assertEquals(5, count(rest, Result.DELETED));
        assertEquals(3, memory.manifests.size(), "only the kept manifests are left");
    }

    @Test
    void withConcurrentWorkersEveryDecisionIsReportedOnceInApplyOrderAndNoneFails() {
        QuotaRegistry registry = new QuotaRegistry(6, T0.plusSeconds(100));
        Plan plan = plan(40);
        DeleteBudget budget = DeleteBudget.inMemory(100);

        Report first = cleaner(registry, 4).apply(request(plan, 0, T0.plusSeconds(20), budget));

        assertEquals(0, count(first, Result.FAILED), first.totals().resultsText());
        assertFalse(first.complete());
        assertEquals(first.nextIndex(), first.entries().size());
        assertTrue(first.nextIndex() < 40);

        Report rest =
                cleaner(registry, 4)
                        .apply(request(plan, first.nextIndex(), T0.plusSeconds(3600), budget));

        assertTrue(rest.complete());
        assertEquals(0, count(rest, Result.FAILED), rest.totals().resultsText());
        List<ReportEntry> all =
                Stream.concat(first.entries().stream(), rest.entries().stream()).toList();
        List<String> applyOrder =
                ApplyOrder.of(plan).decisions().stream().map(Decision::digest).toList();
        assertEquals(
                applyOrder,
                all.stream().map(ReportEntry::digest).toList(),
                "each once, in apply order");
        // A delete already on its way when another worker hit the deadline may still land: the
        // continuation's
        // re-read then finds it gone.
        assertTrue(
                all.stream()
                        .filter(e -> e.action() == Action.DELETE)
                        .allMatch(
                                e ->
                                        e.result() == Result.DELETED
                                                || e.result() == Result.ALREADY_GONE),
                all.toString());
        assertEquals(30, memory.deletes.get());
        assertEquals(10, memory.manifests.size(), "only the kept manifests are left");
    }
}
