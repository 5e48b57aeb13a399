package io.acrretention.cleanup;

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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Cleaner logic against a small in-memory implementation of our own registry port, on a fake clock.
 */
class CleanerTest {
    static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    /** Our port in memory; each delete advances the fake clock by one second. */
    static final class MemoryRegistry implements Registry {
        final Map<String, Manifest> manifests = new ConcurrentHashMap<>();
        final AtomicInteger deletes = new AtomicInteger();
        final AtomicInteger throttleNext = new AtomicInteger();
        final AtomicInteger attempts = new AtomicInteger();
        volatile RegistryException refuse;
        final FakeClock clock;

        MemoryRegistry(FakeClock clock) {
            this.clock = clock;
        }

        @Override
        public String loginServer() {
            return "mem.example";
        }

        @Override
        public List<String> repositories() {
            return List.of("r");
        }

        @Override
        public RepositoryArtifacts artifacts(String repository) {
            return new RepositoryArtifacts(
                    "mem.example", repository, new ArrayList<>(manifests.values()));
        }

        @Override
        public Optional<Manifest> refresh(String repository, String digest) {
            return Optional.ofNullable(manifests.get(digest));
        }

        @Override
        public DeleteOutcome deleteManifest(String repository, String digest) {
            attempts.incrementAndGet();
            if (refuse != null) {
                throw refuse;
            }
            if (throttleNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new RegistryException(
                        RegistryException.Kind.THROTTLED,
                        429,
                        "throttled",
                        Duration.ofSeconds(7),
                        null);
            }
            deletes.incrementAndGet();
            clock.advance(Duration.ofSeconds(1));
            return manifests.remove(digest) == null
                    ? DeleteOutcome.ALREADY_GONE
                    : DeleteOutcome.DELETED;
        }

        @Override
        public DeleteOutcome untag(String repository, String tag) {
            throw new UnsupportedOperationException("no untag in these plans");
        }
    }

    static final class FakeClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(T0);

        void advance(Duration d) {
            now.updateAndGet(t -> t.plus(d));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    final FakeClock clock = new FakeClock();
    final MemoryRegistry registry = new MemoryRegistry(clock);
    final List<Duration> slept = new ArrayList<>();
    final Cleaner cleaner =
            new Cleaner(
                    registry,
                    1,
                    new Backoff(5, Duration.ofMillis(100), Duration.ofSeconds(2)),
                    clock,
                    d -> {
                        synchronized (slept) {
                            slept.add(d);
                        }
                        clock.advance(d);
                    });

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
            registry.manifests.put(m.digest(), m);
            ds.add(decide(m, i % 4 == 0 ? Action.KEEP : Action.DELETE, List.of()));
        }
        return new Plan("mem.example", "r", T0, ds);
    }

    CleanupRequest request(Plan plan, int from, Instant deadline, DeleteBudget budget) {
        return new CleanupRequest(
                "run", plan, RepositoryUsage.NONE, Mode.DELETE, List.of(), budget, from, deadline);
    }

    @Test
    void atTheDeadlineTheReportStopsAndTheContinuationFinishesTheRest() {
        Plan plan = plan(10);
        Report first =
                cleaner.apply(request(plan, 0, T0.plusSeconds(3), DeleteBudget.inMemory(100)));

        assertFalse(first.complete());
        assertEquals(first.entries().size(), first.nextIndex());
        assertEquals(3, registry.deletes.get());
        assertTrue(
                first.entries().stream()
                        .allMatch(e -> e.result() == Result.KEPT || e.result() == Result.DELETED));

        Report rest =
                cleaner.apply(
                        request(
                                plan,
                                first.nextIndex(),
                                T0.plusSeconds(3600),
                                DeleteBudget.inMemory(100)));
        assertTrue(rest.complete());
        assertEquals(10, rest.nextIndex());
        assertEquals(10, first.entries().size() + rest.entries().size());
        assertEquals(7, registry.deletes.get());
    }

    @Test
    void theBudgetIsSharedAcrossRepositoriesOfARun() {
        DeleteBudget budget = DeleteBudget.inMemory(5);
        Report a = cleaner.apply(request(plan(4), 0, T0.plusSeconds(3600), budget));
        Report b = cleaner.apply(request(plan(8), 0, T0.plusSeconds(3600), budget));

        assertEquals(3, a.totals().results().get(Result.DELETED));
        assertEquals(
                2,
                b.totals().results().getOrDefault(Result.DELETED, 0L)
                        - a.totals().results().get(Result.DELETED)
                        + 3);
        assertEquals(5, budget.used());
        assertTrue(b.totals().results().get(Result.SKIPPED_CAP) > 0);
    }

    @Test
    void aRetryAfterIsHonouredBeforeTheNextAttempt() {
        registry.throttleNext.set(2);
        Report r =
                cleaner.apply(
                        request(plan(2), 0, T0.plusSeconds(3600), DeleteBudget.inMemory(100)));

        assertEquals(Result.DELETED, r.entries().get(1).result());
        assertEquals(List.of(Duration.ofSeconds(7), Duration.ofSeconds(7)), slept);
    }

    @Test
    void throttlingPastTheDeadlineLeavesTheEntryForTheContinuationInsteadOfWaiting() {
        registry.throttleNext.set(100);
        Report r =
                cleaner.apply(request(plan(2), 0, T0.plusSeconds(5), DeleteBudget.inMemory(100)));

        assertFalse(r.complete());
        assertEquals(
                1, r.nextIndex(), "the kept manifest only; the throttled delete is not applied");
        assertEquals(List.of(Result.KEPT), r.entries().stream().map(ReportEntry::result).toList());
        assertTrue(slept.isEmpty());
    }

    @Test
    void aNonRetryableErrorIsNeverRetried() {
        Plan plan = plan(2);
        registry.refuse =
                new RegistryException(
                        RegistryException.Kind.UNAUTHORIZED,
                        403,
                        "delete manifest sha256:01 in r on mem.example failed: 403 DENIED",
                        null);

        Report r = cleaner.apply(request(plan, 0, T0.plusSeconds(3600), DeleteBudget.inMemory(9)));

        assertEquals(Result.FAILED, r.entries().get(1).result());
        assertTrue(r.entries().get(1).error().contains("403 DENIED"));
        assertEquals(1, registry.attempts.get());
        assertTrue(slept.isEmpty());
    }

    @Test
    void aBudgetThatCannotBeReadStopsEveryWriteOfTheRequest() {
        AtomicInteger asked = new AtomicInteger();
        DeleteBudget unreadable =
                new DeleteBudget() {
                    @Override
                    public boolean tryAcquire() {
                        asked.incrementAndGet();
                        throw new IllegalStateException(
                                "delete budget runs/run/deletes is unreadable: 'x'");
                    }

                    @Override
                    public long used() {
                        return 0;
                    }
                };

        Report r = cleaner.apply(request(plan(6), 0, T0.plusSeconds(3600), unreadable));

        assertEquals(0, registry.attempts.get());
        assertEquals(1, asked.get(), "not asked again once it failed");
        assertEquals(4, r.totals().results().get(Result.FAILED));
        assertTrue(
                r.entries().stream()
                        .filter(e -> e.result() == Result.FAILED)
                        .allMatch(
                                e ->
                                        e.error()
                                                .contains(
                                                        "delete budget runs/run/deletes is unreadable")),
                r.toString());
    }
}
