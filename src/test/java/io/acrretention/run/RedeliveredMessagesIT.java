package io.acrretention.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import io.acrretention.registry.snapshot.SnapshotRegistry;
import io.acrretention.retention.Mode;
import io.acrretention.store.BlobDocumentStore;
import io.acrretention.testing.Azurite;
import io.acrretention.testing.Inventories;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Queue messages arrive at least once: a first message or a continuation delivered again, in any
 * order, over Blob Storage (Azurite), changes nothing that is already done and never rewrites a
 * stored plan.
 */
class RedeliveredMessagesIT {
    RepositoryProcessorTest.SlowRegistry registry;
    BlobDocumentStore store;
    RetentionConfig config;
    Clock clock;

    @BeforeEach
    void setUp() throws Exception {
        try (var in =
                getClass().getClassLoader().getResourceAsStream("demo/registry-snapshot.json")) {
            registry = new RepositoryProcessorTest.SlowRegistry(SnapshotRegistry.load(in, "demo"));
        }
        store = new BlobDocumentStore(Azurite.get().newContainer("redelivered"));
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
                r ->
                        new Cleaner(
                                r,
                                1,
                                Backoff.defaults(),
                                new TickingClock(clock.instant()),
                                Sleeper.SYSTEM),
                runId -> DeleteBudget.inMemory(1000),
                clock);
    }

    /**
     * Each reading of the cleaner's clock is a second later: an invocation's budget is a count, not
     * a race.
     */
    static final class TickingClock extends Clock {
        private final AtomicLong seconds = new AtomicLong();
        private final Instant start;

        TickingClock(Instant start) {
            this.start = start;
        }

        @Override
        public Instant instant() {
            return start.plusSeconds(seconds.incrementAndGet());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    /** About five decisions per invocation, whatever the machine's load. */
    private Instant budget() {
        return clock.instant().plusSeconds(12);
    }

    private static final RepositoryMessage FIRST =
            new RepositoryMessage(
                    1,
                    "20261123T000000Z-0001",
                    "demo.azurecr.io",
                    "app/api",
                    "inventory/20261123T000000Z-0001.json",
                    Mode.DELETE);

    /**
     * Works through the repository in short invocations; returns every message that was delivered.
     */
    private List<RepositoryMessage> runToTheEnd(RepositoryProcessor processor) {
        List<RepositoryMessage> delivered = new ArrayList<>();
        RepositoryMessage next = FIRST;
        while (next != null) {
            delivered.add(next);
            next = processor.process(next, budget()).continuation().orElse(null);
        }
        return delivered;
    }

    private Report report() {
        return new RunDocuments(store)
                .report("20261123T000000Z-0001", "demo.azurecr.io", "app/api")
                .orElseThrow();
    }

    @Test
    void everyMessageDeliveredAgainInAnyOrderAppendsNothingAndDeletesNothingMore() {
        RepositoryProcessor processor = processor();
        List<RepositoryMessage> delivered = runToTheEnd(processor);
        assertTrue(
                delivered.stream().anyMatch(m -> m.fromIndex() > 0),
                "the budget should force continuations");
        Report done = report();
        String registryAfter = registry.inner.artifacts("app/api").manifests().toString();

        List<RepositoryMessage> again = new ArrayList<>(delivered);
        Collections.shuffle(again, new Random(7));
        for (RepositoryMessage m : again) {
            RepositoryProcessor.Outcome outcome = processor.process(m, budget());
            assertTrue(
                    outcome.continuation().isEmpty(),
                    "a finished repository asks for no continuation");
        }

        Report after = report();
        assertEquals(30, after.entries().size(), "one entry per manifest, not one per delivery");
        assertEquals(30, after.entries().stream().map(ReportEntry::digest).distinct().count());
        assertEquals(done, after, "the report of a finished repository is left as it was");
        assertEquals(registryAfter, registry.inner.artifacts("app/api").manifests().toString());
        assertEquals(1, registry.listings.get(), "re-deliveries list nothing and plan nothing");
    }

    @Test
    void aContinuationDeliveredAgainAfterALaterOneNeverMovesProgressBack() {
        RepositoryProcessor processor = processor();
        RepositoryProcessor.Outcome first = processor.process(FIRST, budget());
        RepositoryMessage second = first.continuation().orElseThrow();
        RepositoryProcessor.Outcome secondOutcome = processor.process(second, budget());
        int reached = report().nextIndex();
        assertFalse(
                report().complete(),
                "the repository should still be unfinished: " + secondOutcome.report());

        // The first continuation again, e.g. after its visibility timeout ran out while it was
        // being processed.
        RepositoryProcessor.Outcome replay = processor.process(second, budget());
        Report now = report();
        assertTrue(
                now.nextIndex() >= reached,
                "progress moved back from " + reached + " to " + now.nextIndex());
        assertEquals(
                now.nextIndex(),
                now.entries().size(),
                "entries are exactly the decisions applied so far");
        assertEquals(
                now.entries().size(),
                now.entries().stream().map(ReportEntry::digest).distinct().count());
        replay.continuation().ifPresent(c -> assertEquals(now.nextIndex(), c.fromIndex()));
    }

    @Test
    void aFirstMessageDeliveredAgainKeepsThePlanOfItsFirstDelivery() {
        RepositoryProcessor processor = processor();
        processor.process(FIRST, budget());
        String planPath =
                RunDocuments.planPath("20261123T000000Z-0001", "demo.azurecr.io", "app/api");
        byte[] plan = store.get(planPath).orElseThrow();

        processor.process(FIRST, budget());

        assertArrayEquals(
                plan, store.get(planPath).orElseThrow(), "the stored plan is written once");
        assertEquals(1, registry.listings.get());
        Report now = report();
        assertEquals(now.nextIndex(), now.entries().size());
        assertTrue(now.entries().stream().noneMatch(e -> e.result() == Result.FAILED));
    }

    @Test
    void theStoreWritesADocumentOnceAndReportsWhetherItDid() {
        assertTrue(store.create("plans/x/once.json", "{\"a\": 1}".getBytes()));
        assertFalse(store.create("plans/x/once.json", "{\"a\": 2}".getBytes()));
        assertEquals("{\"a\": 1}", new String(store.get("plans/x/once.json").orElseThrow()));
    }

    @Test
    void aContinuationWithoutAReportToContinueIsAPermanentError() {
        RepositoryMessage orphan = FIRST.continueFrom(5, clock.instant());
        processor().process(FIRST, budget());
        new RunDocuments(store)
                .saveReport(
                        new Report(
                                1,
                                "20261123T000000Z-0001",
                                "demo.azurecr.io",
                                "app/api",
                                Mode.DELETE,
                                clock.instant(),
                                clock.instant(),
                                List.of(),
                                false,
                                2,
                                report().entries().subList(0, 2),
                                Report.Totals.of(report().entries().subList(0, 2))));
        RepositoryMessage.InvalidMessageException e =
                assertThrows(
                        RepositoryMessage.InvalidMessageException.class,
                        () -> processor().process(orphan, Instant.MAX));
        assertTrue(e.getMessage().contains("reaches only 2"), e.getMessage());
    }
}
