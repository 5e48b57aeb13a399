package io.acrretention.bench;

import io.acrretention.cleanup.Cleaner;
import io.acrretention.cleanup.DeleteBudget;
import io.acrretention.cleanup.Report;
import io.acrretention.cleanup.Result;
import io.acrretention.cleanup.WritePacer;
import io.acrretention.config.ConfigParser;
import io.acrretention.config.Limits;
import io.acrretention.config.QuotaPlan;
import io.acrretention.config.RegistryQuota;
import io.acrretention.config.RetentionConfig;
import io.acrretention.registry.snapshot.SnapshotRegistry;
import io.acrretention.retention.Mode;
import io.acrretention.run.InventoryCache;
import io.acrretention.run.RepositoryMessage;
import io.acrretention.run.RepositoryProcessor;
import io.acrretention.run.RunDocuments;
import io.acrretention.store.LocalDocumentStore;
import io.acrretention.testing.Inventories;
import io.acrretention.wiring.Adapters;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The repository that made {@code acr purge} users give up: 140,000 untagged manifests, all to
 * delete, applied as the queue function applies them, message after message: each {@link
 * RepositoryProcessor#process} call gets the function's 8-minute time budget and hands back a
 * continuation until the plan is done. At Premium's 2,000 writes a minute that is 70 minutes; to
 * keep it short the clock runs {@code scale} times faster: Premium's quota in a sliding window
 * {@code scale} times shorter than a minute, and the time budget {@code scale} times shorter (the
 * same number of messages). The registry is the product's in-memory {@code SnapshotRegistry} behind
 * {@link QuotaRegistry} (429 with Retry-After in whole seconds, as ACR answers), each call {@code
 * latency.ms} late; the store is the local one. Reports wall time against the quota bound (deletes
 * / quota), peak heap (run it under {@code -Xmx256m}), and the number of messages.
 *
 * <p>Settings ({@code BENCH_JAVA_OPTS}): {@code -Xmx256m -Dmanifests=140000 -Dscale=15
 * -Dlatency.ms=2 -Dpaced=true -Dconcurrency=16}; a scaled-down repository keeps the full size's
 * number of messages with {@code -Dbudget.seconds} (the bound over 9); {@code -Dmode=dry-run} plans
 * and reports the full size without writes, for its heap.
 */
public final class LargeRepositoryBenchmark {
    private LargeRepositoryBenchmark() {}

    public static void main(String[] args) throws Exception {
        int manifests = Integer.getInteger("manifests", 140_000);
        int scale = Integer.getInteger("scale", 15);
        int latencyMs = Integer.getInteger("latency.ms", 2);
        int writesPerMinute = 2000 * scale;
        Duration budget =
                Duration.ofSeconds(
                        Long.getLong("budget.seconds", Duration.ofMinutes(8).toSeconds() / scale));
        Mode mode = Mode.fromJson(System.getProperty("mode", "delete"));
        StringBuilder json =
                new StringBuilder(manifests * 200)
                        .append(
                                "{\"loginServer\": \"big.azurecr.io\", \"snapshotAt\": \"2024-01-01T00:00:00Z\", \"repositories\": "
                                        + "[{\"name\": \"big/app\", \"manifests\": [");
        for (int i = 0; i < manifests; i++) {
            json.append(i == 0 ? "" : ",")
                    .append("{\"digest\": \"sha256:")
                    .append(String.format("%064x", i))
                    .append(
                            "\", \"sizeBytes\": 1000, \"createdTime\": \"2023-01-01T00:00:00Z\", "
                                    + "\"lastUpdateTime\": \"2023-01-01T00:00:00Z\"}");
        }
        json.append("]}]}");
        SnapshotRegistry snapshot =
                SnapshotRegistry.load(
                        new ByteArrayInputStream(json.toString().getBytes(StandardCharsets.UTF_8)),
                        "generated");
        json.setLength(0);
        json.trimToSize();
        // The clock runs scale times faster: Premium's quota per window, a window and a budget
        // scale times shorter,
        // so a Retry-After keeps its proportion to the time budget.
        QuotaRegistry registry =
                new QuotaRegistry(
                        snapshot,
                        2000,
                        10_000,
                        Duration.ofMinutes(1).dividedBy(scale),
                        Duration.ofMillis(latencyMs));
        LocalDocumentStore store = new LocalDocumentStore(Files.createTempDirectory("large-repo"));
        RetentionConfig config =
                ConfigParser.parse(
                        """
                {"registries": [{"endpoint": "https://big.azurecr.io"}], "clusters": [],
                 "policy": {"mode": "delete", "untagged": "delete"}}""",
                        "bench");
        Clock clock = Clock.systemUTC();
        new RunDocuments(store)
                .saveInventory(Inventories.using(clock.instant(), "big.azurecr.io/other/app:1"));
        // Paced as the deployed app with sku Premium is (QuotaPlan, one WritePacer per instance),
        // on the scaled clock; -Dpaced=false measures the cleaner with only the 429s holding it.
        // The clock shrinks the time between writes 15-fold (2 ms at Premium), but not the
        // scheduling delay a loaded machine adds to every sleep (the pacing's, the latency's), so
        // the writers the plan derives (8) cannot keep the pace here: -Dconcurrency caps more.
        boolean paced = Boolean.parseBoolean(System.getProperty("paced", "true"));
        QuotaPlan quota =
                QuotaPlan.of(
                        new RegistryQuota("Premium", writesPerMinute, 10_000 * scale),
                        Integer.getInteger("concurrency", 16),
                        Duration.ofMinutes(1).dividedBy(scale));
        int concurrency = paced ? quota.deleteConcurrency() : Limits.defaults().deleteConcurrency();
        WritePacer pacer = paced ? Adapters.pacer(quota) : WritePacer.UNPACED;
        RepositoryProcessor processor =
                new RepositoryProcessor(
                        config,
                        Map.of("big.azurecr.io", registry),
                        new InventoryCache(new RunDocuments(store)),
                        new RunDocuments(store),
                        r -> new Cleaner(r, concurrency).withPacer(pacer),
                        runId -> DeleteBudget.inMemory(Long.MAX_VALUE),
                        clock);
        // Live heap: what the heap pools held after their last collection, sampled; an upper bound
        // on what the
        // run needs (the sum of the pools' own peaks is not: under G1 they peak at different
        // times).
        List<MemoryPoolMXBean> heap =
                ManagementFactory.getMemoryPoolMXBeans().stream()
                        .filter(
                                p ->
                                        p.getType() == MemoryType.HEAP
                                                && p.getCollectionUsage() != null)
                        .toList();
        AtomicLong liveMax = new AtomicLong();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(
                () ->
                        liveMax.accumulateAndGet(
                                heap.stream()
                                        .mapToLong(p -> p.getCollectionUsage().getUsed())
                                        .sum(),
                                Math::max),
                0,
                100,
                TimeUnit.MILLISECONDS);

        RepositoryMessage next =
                new RepositoryMessage(
                        1,
                        "20261123T000000Z-0001",
                        "big.azurecr.io",
                        "big/app",
                        "inventory/20261123T000000Z-0001.json",
                        mode,
                        0,
                        null);
        int messages = 0;
        Report last = null;
        System.out.println("load: " + MultiInstanceBenchmark.loadAverage());
        long t0 = System.nanoTime();
        while (next != null) {
            messages++;
            long m0 = System.nanoTime();
            RepositoryProcessor.Outcome outcome =
                    processor.process(next, Instant.now().plus(budget));
            last = outcome.report();
            System.out.printf(
                    "message %d from %d: %.1f s, next %d%n",
                    messages, next.fromIndex(), (System.nanoTime() - m0) / 1e9, last.nextIndex());
            next = outcome.continuation().orElse(null);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double bound = manifests * 60.0 / writesPerMinute;
        sampler.shutdownNow();
        System.out.printf(
                "%d manifests, quota %d writes/min (Premium, clock %dx), budget %d s per message, latency %d ms, "
                        + "concurrency %d, paced %s, %s: %.1f s wall vs quota bound %.1f s = ratio %.2f (target <= 1.1); %d messages; "
                        + "deleted %d, failed %d, 429s %d; live heap after GC at most %d MB, under -Xmx%d MB%n",
                manifests,
                writesPerMinute,
                scale,
                budget.toSeconds(),
                latencyMs,
                concurrency,
                paced,
                mode.json(),
                seconds,
                bound,
                seconds / bound,
                messages,
                last.totals().results().getOrDefault(Result.DELETED, 0L),
                last.totals().results().getOrDefault(Result.FAILED, 0L),
                registry.throttled.get(),
                liveMax.get() >> 20,
                Runtime.getRuntime().maxMemory() >> 20);
        System.out.println("load: " + MultiInstanceBenchmark.loadAverage());
    }
}
