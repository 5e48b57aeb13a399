package io.acrretention.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acrretention.cleanup.Backoff;
import io.acrretention.cleanup.Cleaner;
import io.acrretention.cleanup.DeleteBudget;
import io.acrretention.cleanup.Report;
import io.acrretention.cleanup.ReportEntry;
import io.acrretention.cleanup.Result;
import io.acrretention.config.ConfigParser;
import io.acrretention.config.RetentionConfig;
import io.acrretention.registry.RegistryException;
import io.acrretention.registry.snapshot.SnapshotRegistry;
import io.acrretention.retention.Action;
import io.acrretention.retention.Mode;
import io.acrretention.store.LocalDocumentStore;
import io.acrretention.testing.Inventories;
import io.acrretention.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry write quota that runs out near the end of each invocation, as a Premium registry's
 * does on a large repository: the deletes the quota holds back are left for the continuation, which
 * deletes them.
 */
class RepositoryProcessorThrottleTest {
    static final Duration WINDOW = Duration.ofSeconds(20);
    static final int PER_WINDOW = 3;

    @TempDir Path dir;

    /**
     * The demo snapshot with a quota of {@value #PER_WINDOW} deletes per 20-second window; a delete
     * past it is refused with a 429 whose Retry-After is the window's end. Each delete takes one
     * second of the clock.
     */
    static final class QuotaRegistry extends RepositoryProcessorTest.SlowRegistry {
        final ManualClock clock;
        final Instant start;
        final AtomicInteger throttled = new AtomicInteger();
        long window = -1;
        int used;

        QuotaRegistry(SnapshotRegistry inner, ManualClock clock) {
            super(inner);
            this.clock = clock;
            this.start = clock.instant();
        }

        @Override
        public synchronized DeleteOutcome deleteManifest(String repository, String digest) {
            Instant now = clock.instant();
            long w = Duration.between(start, now).toMillis() / WINDOW.toMillis();
            if (w != window) {
                window = w;
                used = 0;
            }
            if (used == PER_WINDOW) {
                throttled.incrementAndGet();
                Instant next = start.plus(WINDOW.multipliedBy(w + 1));
                throw new RegistryException(
                        RegistryException.Kind.THROTTLED,
                        429,
                        "delete manifest " + digest + " in " + repository + " throttled",
                        Duration.between(now, next),
                        null);
            }
            used++;
            clock.advance(Duration.ofSeconds(1));
            return inner.deleteManifest(repository, digest);
        }
    }

    @Test
    void deletesThrottledPastAnInvocationsDeadlineAreDeletedByTheContinuationAndNoneFails()
            throws Exception {
        QuotaRegistry registry;
        ManualClock clock;
        try (var in =
                getClass().getClassLoader().getResourceAsStream("demo/registry-snapshot.json")) {
            SnapshotRegistry snapshot = SnapshotRegistry.load(in, "demo");
            clock = new ManualClock(snapshot.snapshotAt());
            registry = new QuotaRegistry(snapshot, clock);
        }
        LocalDocumentStore store = new LocalDocumentStore(dir);
        RetentionConfig config =
                ConfigParser.parse(
                        """
                {"registries": [{"endpoint": "https://demo.azurecr.io"}], "clusters": [],
                 "policy": {"mode": "delete", "untagged": "delete"}}""",
                        "test");
        new RunDocuments(store)
                .saveInventory(
                        Inventories.using(clock.instant(), "demo.azurecr.io/app/api:latest"));
        RepositoryProcessor processor =
                new RepositoryProcessor(
                        config,
                        Map.of("demo.azurecr.io", registry),
                        new InventoryCache(new RunDocuments(store)),
                        new RunDocuments(store),
                        r -> new Cleaner(r, 1, Backoff.defaults(), clock, clock::advance),
                        runId -> DeleteBudget.inMemory(1000),
                        clock);

        RepositoryMessage next =
                new RepositoryMessage(
                        1,
                        "20261123T000000Z-0001",
                        "demo.azurecr.io",
                        "app/api",
                        "inventory/20261123T000000Z-0001.json",
                        Mode.DELETE);
        int invocations = 0;
        Report last = null;
        while (next != null) {
            invocations++;
            // 25 seconds each: one quota window is waited out, the next one's Retry-After ends past
            // the deadline.
            RepositoryProcessor.Outcome outcome =
                    processor.process(next, clock.instant().plusSeconds(25));
            last = outcome.report();
            next = outcome.continuation().orElse(null);
        }

        long planned = last.entries().stream().filter(e -> e.action() == Action.DELETE).count();
        assertTrue(
                planned > 2 * PER_WINDOW,
                "the plan must outlast one invocation's quota, deletes " + planned);
        assertTrue(invocations > 1, "the quota should have forced continuations");
        assertTrue(registry.throttled.get() > invocations, "throttled " + registry.throttled.get());
        assertTrue(last.complete());
        assertEquals(
                0,
                last.totals().results().getOrDefault(Result.FAILED, 0L),
                last.totals().resultsText());
        assertEquals(planned, last.totals().results().get(Result.DELETED));
        assertEquals(30 - planned, registry.inner.artifacts("app/api").manifests().size());
        assertEquals(30, last.entries().stream().map(ReportEntry::digest).distinct().count());
    }
}
