package io.acrretention.inventory;

import io.acrretention.config.Limits;
import io.acrretention.image.RegistryNames;
import io.acrretention.usage.ClusterStatus;
import io.acrretention.usage.IgnoredReference;
import io.acrretention.usage.UsedImage;
import io.acrretention.usage.UsedImages;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Collects every cluster's images in parallel, each within the cluster time-out and all within the
 * inventory deadline, and merges them into one {@link UsedImages}. Fails closed: a cluster that did
 * not answer in full is reported failed and makes the inventory incomplete, and so does having no
 * cluster.
 */
public final class InventoryCollector {
    private static final int MAX_PARALLEL = 32;
    private static final Comparator<String> NULLS_FIRST =
            Comparator.nullsFirst(Comparator.naturalOrder());

    private final List<ImageSource> sources;
    private final Limits limits;
    private final Clock clock;
    private final RegistryNames names;

    public InventoryCollector(List<ImageSource> sources, Limits limits, Clock clock) {
        this(sources, limits, clock, RegistryNames.NONE);
    }

    /**
     * @param names the configured registries' aliases: an image a pod names through an alias is
     *     recorded under its registry's login server, so it counts as used there
     */
    public InventoryCollector(
            List<ImageSource> sources, Limits limits, Clock clock, RegistryNames names) {
        this.sources = List.copyOf(sources);
        this.limits = limits;
        this.clock = clock;
        this.names = names;
    }

    public UsedImages collect(String runId) {
        Instant collectedAt = clock.instant();
        if (sources.isEmpty()) {
            // No cluster proves nothing unused.
            return new UsedImages(runId, collectedAt, false, List.of(), List.of(), List.of());
        }
        long deadline = System.nanoTime() + limits.inventoryDeadline().toNanos();
        ExecutorService pool =
                Executors.newFixedThreadPool(
                        Math.min(sources.size(), MAX_PARALLEL),
                        daemonThreads("inventory-" + runId));
        ScheduledExecutorService alarms =
                Executors.newSingleThreadScheduledExecutor(daemonThreads("inventory-alarm"));
        try {
            List<ClusterRun> runs = new ArrayList<>();
            for (ImageSource source : sources) {
                ClusterRun run = new ClusterRun(source, limits.clusterTimeout(), alarms);
                runs.add(run);
                pool.execute(run::run);
            }
            List<ClusterStatus> statuses = new ArrayList<>();
            for (ClusterRun run : runs) {
                statuses.add(run.await(deadline, limits.inventoryDeadline()));
            }
            return merge(runId, collectedAt, runs, statuses, names);
        } finally {
            pool.shutdownNow();
            alarms.shutdownNow();
        }
    }

    private static UsedImages merge(
            String runId,
            Instant collectedAt,
            List<ClusterRun> runs,
            List<ClusterStatus> statuses,
            RegistryNames names) {
        Map<String, Map<String, TreeSet<String>>> images = new TreeMap<>();
        TreeSet<IgnoredReference> ignored =
                new TreeSet<>(
                        Comparator.comparing(IgnoredReference::reference)
                                .thenComparing(IgnoredReference::reason));
        for (int i = 0; i < runs.size(); i++) {
            // A failed cluster's partial listing may still be changing under a late source thread;
            // the
            // inventory is incomplete anyway, so it adds nothing rather than something half-read.
            if (!statuses.get(i).isOk()) {
                continue;
            }
            ClusterRun run = runs.get(i);
            for (ClusterImages.Found f : run.sink.images()) {
                images.computeIfAbsent(
                                names.canonical(f.reference()).toString(),
                                k -> new TreeMap<>(NULLS_FIRST))
                        .computeIfAbsent(f.digest(), k -> new TreeSet<>())
                        .add(run.source.cluster());
            }
            ignored.addAll(run.sink.ignoredReferences());
        }
        List<UsedImage> used = new ArrayList<>();
        images.forEach(
                (reference, byDigest) ->
                        byDigest.forEach(
                                (digest, clusters) ->
                                        used.add(
                                                new UsedImage(
                                                        reference,
                                                        digest,
                                                        List.copyOf(clusters)))));
        boolean complete = statuses.stream().allMatch(ClusterStatus::isOk);
        return new UsedImages(runId, collectedAt, complete, statuses, used, List.copyOf(ignored));
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * One cluster's listing: its thread, its sink, and the status it ends with, set exactly once.
     */
    private static final class ClusterRun {
        private final ImageSource source;
        private final Duration timeout;
        private final ScheduledExecutorService alarms;
        private final ClusterImages sink = new ClusterImages();
        private final CompletableFuture<ClusterStatus> result = new CompletableFuture<>();
        private Thread worker;
        private long startNanos = System.nanoTime();
        private boolean finished;

        ClusterRun(ImageSource source, Duration timeout, ScheduledExecutorService alarms) {
            this.source = source;
            this.timeout = timeout;
            this.alarms = alarms;
        }

        void run() {
            synchronized (this) {
                if (finished) {
                    return;
                }
                worker = Thread.currentThread();
                startNanos = System.nanoTime();
            }
            var alarm =
                    alarms.schedule(
                            () -> giveUp("did not finish within the cluster time-out " + timeout),
                            timeout.toNanos(),
                            TimeUnit.NANOSECONDS);
            ClusterStatus status;
            try {
                source.collect(sink);
                int images = sink.distinctReferences();
                status =
                        images < source.minImages()
                                ? ClusterStatus.failed(
                                        source.cluster(),
                                        elapsedMs(),
                                        "cluster '"
                                                + source.cluster()
                                                + "' answered with "
                                                + images
                                                + " images, fewer than its minImages "
                                                + source.minImages()
                                                + ": a partial answer is not trusted")
                                : ClusterStatus.ok(
                                        source.cluster(), images, elapsedMs(), sink.notInstalled());
            } catch (RuntimeException | Error e) {
                status = ClusterStatus.failed(source.cluster(), elapsedMs(), describe(e));
            } finally {
                alarm.cancel(false);
            }
            synchronized (this) {
                finished = true;
                // A give-up that raced with the end must not leave this pooled thread interrupted.
                Thread.interrupted();
            }
            result.complete(status);
        }

        ClusterStatus await(long deadlineNanos, Duration deadline) {
            try {
                return result.get(
                        Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                giveUp("did not finish within the inventory deadline " + deadline);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                giveUp("was interrupted: the run is stopping");
            } catch (ExecutionException e) {
                throw new IllegalStateException("cluster status cannot fail", e);
            }
            return result.join();
        }

        private void giveUp(String why) {
            String error;
            synchronized (this) {
                if (finished) {
                    return;
                }
                finished = true;
                error =
                        "cluster '"
                                + source.cluster()
                                + "' "
                                + why
                                + " (it was at: "
                                + sink.activity()
                                + ")";
                sink.abandon(error);
                if (worker != null) {
                    worker.interrupt();
                }
            }
            result.complete(ClusterStatus.failed(source.cluster(), elapsedMs(), error));
        }

        private String describe(Throwable e) {
            if (e instanceof InventoryException) {
                return e.getMessage();
            }
            return "cluster '" + source.cluster() + "': " + sink.activity() + " failed: " + e;
        }

        private long elapsedMs() {
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        }
    }
}
