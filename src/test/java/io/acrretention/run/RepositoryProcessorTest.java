package io.acrretention.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acrretention.cleanup.Backoff;
import io.acrretention.cleanup.Cleaner;
import io.acrretention.cleanup.DeleteBudget;
import io.acrretention.cleanup.Report;
import io.acrretention.cleanup.ReportEntry;
import io.acrretention.cleanup.Result;
import io.acrretention.cleanup.Sleeper;
import io.acrretention.config.ConfigParser;
import io.acrretention.config.RetentionConfig;
import io.acrretention.registry.Manifest;
import io.acrretention.registry.RecentPulls;
import io.acrretention.registry.Registry;
import io.acrretention.registry.RepositoryArtifacts;
import io.acrretention.registry.snapshot.SnapshotRegistry;
import io.acrretention.retention.Action;
import io.acrretention.retention.Mode;
import io.acrretention.store.LocalDocumentStore;
import io.acrretention.testing.Inventories;
import io.acrretention.testing.ManualClock;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One repository message, applied as the queue function applies it: plan, apply, report, continue.
 */
class RepositoryProcessorTest {
    @TempDir Path dir;
    SlowRegistry registry;
    LocalDocumentStore store;
    RetentionConfig config;
    Clock clock;

    /**
     * The demo snapshot behind our port, listings counted, each delete taking 40 ms of {@link
     * #time} (a clock that moves only by deletes, so a time budget is a count of deletes, not a
     * race with the machine's load).
     */
    static class SlowRegistry implements Registry {
        final SnapshotRegistry inner;
        final ManualClock time;
        final AtomicInteger listings = new AtomicInteger();

        SlowRegistry(SnapshotRegistry inner) {
            this.inner = inner;
            this.time = new ManualClock(inner.snapshotAt());
        }

        public String loginServer() {
            return inner.loginServer();
        }

        public List<String> repositories() {
            return inner.repositories();
        }

        public RepositoryArtifacts artifacts(String repository) {
            listings.incrementAndGet();
            return inner.artifacts(repository);
        }

        public Optional<Manifest> refresh(String repository, String digest) {
            return inner.refresh(repository, digest);
        }

        public DeleteOutcome deleteManifest(String repository, String digest) {
            time.advance(Duration.ofMillis(40));
            return inner.deleteManifest(repository, digest);
        }

        public DeleteOutcome untag(String repository, String tag) {
            return inner.untag(repository, tag);
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        try (var in =
                getClass().getClassLoader().getResourceAsStream("demo/registry-snapshot.json")) {
            registry = new SlowRegistry(SnapshotRegistry.load(in, "demo"));
        }
        store = new LocalDocumentStore(dir);
        clock = Clock.fixed(registry.inner.snapshotAt(), ZoneOffset.UTC);
        config =
                ConfigParser.parse(
                        """
                {"registries": [{"endpoint": "https://demo.azurecr.io"}], "clusters": [],
                 "policy": {"mode": "delete", "untagged": "delete"}}""",
                        "test");
        new RunDocuments(store)
                .saveInventory(
                        Inventories.using(clock.instant(), "demo.azurecr.io/app/api:latest"));
    }

    private RepositoryProcessor processor() {
        return new RepositoryProcessor(
                config,
                Map.of("demo.azurecr.io", registry),
                new InventoryCache(new RunDocuments(store)),
                new RunDocuments(store),
                r -> new Cleaner(r, 1),
                runId -> DeleteBudget.inMemory(1000),
                clock);
    }

    private static RepositoryMessage message(String repository) {
        return new RepositoryMessage(
                1,
                "20261123T000000Z-0001",
                "demo.azurecr.io",
                repository,
                "inventory/20261123T000000Z-0001.json",
                Mode.DELETE);
    }

    @Test
    void aRepositoryThatOutlastsTheTimeBudgetContinuesWithTheSamePlanUntilDone() {
        // Planner, guards and cleaner share the registry's clock, which only deletes move.
        ManualClock time = registry.time;
        RepositoryProcessor processor =
                new RepositoryProcessor(
                        config,
                        Map.of("demo.azurecr.io", registry),
                        new InventoryCache(new RunDocuments(store)),
                        new RunDocuments(store),
                        r -> new Cleaner(r, 1, Backoff.defaults(), time, Sleeper.SYSTEM),
                        runId -> DeleteBudget.inMemory(1000),
                        time);
        RepositoryMessage next = message("app/api");
        int invocations = 0;
        Report last = null;
        while (next != null) {
            invocations++;
            // Each invocation may run for 150 ms: four deletes of 40 ms each are started before it
            // ends.
            RepositoryProcessor.Outcome outcome =
                    processor.process(next, time.instant().plusMillis(150));
            last = outcome.report();
            next = outcome.continuation().orElse(null);
        }
        long planned = last.entries().stream().filter(e -> e.action() == Action.DELETE).count();
        assertEquals(
                (planned + 3) / 4, invocations, "four deletes per invocation, then a continuation");
        assertTrue(
                invocations > 2, "the budget should have forced continuations, got " + invocations);
        assertEquals(
                1,
                registry.listings.get(),
                "continuations reuse the stored plan instead of listing again");
        assertTrue(last.complete());
        assertEquals(30, last.entries().size(), "the final report covers every manifest once");
        assertEquals(
                planned, last.entries().stream().filter(e -> e.result() == Result.DELETED).count());
        assertEquals(30 - planned, registry.inner.artifacts("app/api").manifests().size());
        assertEquals(30, last.entries().stream().map(ReportEntry::digest).distinct().count());
    }

    @Test
    void anApplyThatOutlivesItsInventoryStopsDeletingAndOnlyPlansTheRest() {
        // Each delete takes two hours on one clock shared by planner, guards and cleaner;
        // maxInventoryAge is 6h.
        Instant start = clock.instant();
        AtomicLong hours = new AtomicLong();
        Clock moving =
                new Clock() {
                    public Instant instant() {
                        return start.plus(Duration.ofHours(hours.get()));
                    }

                    public java.time.ZoneId getZone() {
                        return ZoneOffset.UTC;
                    }

                    public Clock withZone(java.time.ZoneId zone) {
                        return this;
                    }
                };
        Registry slow =
                new SlowRegistry(registry.inner) {
                    @Override
                    public DeleteOutcome deleteManifest(String repository, String digest) {
                        hours.addAndGet(2);
                        return inner.deleteManifest(repository, digest);
                    }
                };
        RepositoryProcessor processor =
                new RepositoryProcessor(
                        config,
                        Map.of("demo.azurecr.io", slow),
                        new InventoryCache(new RunDocuments(store)),
                        new RunDocuments(store),
                        r -> new Cleaner(r, 1, Backoff.defaults(), moving, Sleeper.SYSTEM),
                        runId -> DeleteBudget.inMemory(1000),
                        moving);

        // As the command line applies: no deadline of its own.
        RepositoryMessage next = message("app/api");
        Report last = null;
        while (next != null) {
            RepositoryProcessor.Outcome outcome = processor.process(next, Instant.MAX);
            last = outcome.report();
            next = outcome.continuation().orElse(null);
        }

        assertEquals(3, last.entries().stream().filter(e -> e.result() == Result.DELETED).count());
        assertEquals("inventory-stale", last.withheld().get(0).cause().code());
        assertTrue(
                last.entries().stream().anyMatch(e -> e.result() == Result.PLANNED),
                "the rest is only planned");
        assertEquals(30, last.entries().size());
    }

    @Test
    void aStaleInventoryIsPlannedButNotApplied() {
        clock = Clock.offset(clock, Duration.ofHours(7));
        RepositoryProcessor.Outcome outcome = processor().process(message("app/api"), Instant.MAX);
        assertEquals("inventory-stale", outcome.report().withheld().get(0).cause().code());
        assertEquals(Mode.DRY_RUN, outcome.report().mode());
        assertEquals(30, registry.inner.artifacts("app/api").manifests().size());
        assertTrue(outcome.report().entries().stream().anyMatch(e -> e.result() == Result.PLANNED));
    }

    @Test
    void aMessageForAnUnconfiguredRegistryOrAMissingInventoryIsAPermanentError() {
        RepositoryMessage otherRegistry =
                new RepositoryMessage(
                        1,
                        "20261123T000000Z-0001",
                        "evil.azurecr.io",
                        "app/api",
                        "inventory/20261123T000000Z-0001.json",
                        Mode.DELETE);
        assertThrows(
                RepositoryMessage.InvalidMessageException.class,
                () -> processor().process(otherRegistry, Instant.MAX));
        RepositoryMessage noInventory =
                new RepositoryMessage(
                        1,
                        "20261123T000000Z-0002",
                        "demo.azurecr.io",
                        "app/api",
                        "inventory/20261123T000000Z-0002.json",
                        Mode.DELETE);
        assertThrows(
                RepositoryMessage.InvalidMessageException.class,
                () -> processor().process(noInventory, Instant.MAX));
        assertEquals(30, registry.inner.artifacts("app/api").manifests().size());
    }

    @Test
    void aDryRunMessageNarrowsADeleteConfiguration() {
        RepositoryMessage dry =
                new RepositoryMessage(
                        1,
                        "20261123T000000Z-0001",
                        "demo.azurecr.io",
                        "app/api",
                        "inventory/20261123T000000Z-0001.json",
                        Mode.DRY_RUN);
        assertEquals(Mode.DRY_RUN, processor().process(dry, Instant.MAX).report().mode());
        assertEquals(30, registry.inner.artifacts("app/api").manifests().size());
    }

    @Test
    void unreadablePullLogsWithholdARepositoryWhoseOwnOverrideDoesNotKeepByPulls() {
        // docs/pulled-recently.md: unreadable pull logs withhold every deletion of the run, like an
        // incomplete inventory; one override keeping by pulls turns the reading on for the run.
        config =
                ConfigParser.parse(
                        """
                {"registries": [{"endpoint": "https://demo.azurecr.io",
                                 "pullLogs": {"workspaceId": "0b5f3c1e-0000-4000-8000-000000000001"}}],
                 "clusters": [],
                 "policy": {"mode": "delete", "untagged": "delete", "overrides": [
                   {"repositories": ["ci/**"], "keepPulledWithin": "P30D"},
                   {"repositories": ["app/**"], "keepRecent": 10}]}}""",
                        "test");
        new RunDocuments(store)
                .saveInventory(
                        Inventories.using(clock.instant(), "demo.azurecr.io/app/api:latest")
                                .withPulls(
                                        List.of(
                                                RecentPulls.unreadable(
                                                        "demo.azurecr.io",
                                                        clock.instant().minus(Duration.ofDays(30)),
                                                        "403 from the workspace"))));

        Report report = processor().process(message("app/api"), Instant.MAX).report();

        assertEquals(
                List.of("pull-logs-unreadable"),
                report.withheld().stream().map(w -> w.cause().code()).toList());
        assertEquals(30, registry.inner.artifacts("app/api").manifests().size());
    }
}
