package io.acrretention.cleanup;

import io.acrretention.log.Log;
import io.acrretention.log.LogLine;
import io.acrretention.registry.Registry;
import io.acrretention.retention.Action;
import io.acrretention.retention.Decision;
import io.acrretention.retention.Mode;
import io.acrretention.retention.Plan;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Applies one repository's plan (docs/reports.md; docs/decision-rule.md, "Applying a plan while the
 * registry changes" and invariants 2, 4, 5, 6, 9). Dry run, or a withheld deletion, takes the same
 * path to the same entries and writes nothing. Decisions are taken in {@link ApplyOrder} (parents
 * first), and in delete mode run on at most {@code concurrency} worker threads. Each call of {@link
 * #apply} owns its workers: it makes a pool of its own, waits for every decision it submitted, and
 * shuts the pool down before it returns; the idle threads then end by themselves (they are daemons
 * and are not joined). An interrupt of the calling thread stops submitting, but writes in flight
 * still finish and are reported. How one decision is applied, re-read before every attempt
 * included, is {@link DecisionApplier}'s; retries live there and in {@link Retrier}, not in the
 * SDK. Results come back in apply order whatever order the threads finish in.
 */
public final class Cleaner {
    private static final Log LOG = Log.of(Cleaner.class);
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final Registry registry;
    private final int concurrency;
    private final Backoff backoff;
    private final Clock clock;
    private final Sleeper sleeper;
    private final DeleteStep deleteStep;

    public Cleaner(Registry registry, int concurrency) {
        this(registry, concurrency, Backoff.defaults(), Clock.systemUTC(), Sleeper.SYSTEM);
    }

    public Cleaner(
            Registry registry, int concurrency, Backoff backoff, Clock clock, Sleeper sleeper) {
        this(registry, concurrency, backoff, clock, sleeper, null);
    }

    private Cleaner(
            Registry registry,
            int concurrency,
            Backoff backoff,
            Clock clock,
            Sleeper sleeper,
            DeleteStep deleteStep) {
        if (concurrency < 1) {
            throw new IllegalArgumentException(
                    "deleteConcurrency must be >= 1, not " + concurrency);
        }
        this.registry = Objects.requireNonNull(registry, "registry");
        this.concurrency = concurrency;
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.deleteStep = deleteStep;
    }

    /** This cleaner with planned deletes done by {@code step} (quarantine) instead of a delete. */
    public Cleaner withDeleteStep(DeleteStep step) {
        return new Cleaner(
                registry,
                concurrency,
                backoff,
                clock,
                sleeper,
                Objects.requireNonNull(step, "step"));
    }

    public Report apply(CleanupRequest request) {
        Plan plan = request.plan();
        Mode mode = request.writes() ? Mode.DELETE : Mode.DRY_RUN;
        LOG.info(
                () ->
                        LogLine.of(
                                request.runId(),
                                plan.registry(),
                                plan.repository(),
                                "cleanup started: mode="
                                        + mode.json()
                                        + " decisions="
                                        + plan.decisions().size()
                                        + " from="
                                        + request.fromIndex()
                                        + " delete="
                                        + plan.count(Action.DELETE)
                                        + " untag="
                                        + plan.count(Action.UNTAG)));
        ApplyOrder order = ApplyOrder.of(plan);
        List<ReportEntry> entries =
                request.writes() ? applyAll(request, order) : planned(request, order);
        int next = request.fromIndex() + entries.size();
        Report report =
                new Report(
                        Report.VERSION,
                        request.runId(),
                        plan.registry(),
                        plan.repository(),
                        mode,
                        plan.plannedAt(),
                        clock.instant(),
                        request.withheld(),
                        next == plan.decisions().size(),
                        next,
                        entries,
                        Report.Totals.of(entries));
        LOG.info(
                () ->
                        LogLine.of(
                                request.runId(),
                                plan.registry(),
                                plan.repository(),
                                "cleanup ended: complete="
                                        + report.complete()
                                        + " next="
                                        + next
                                        + " results="
                                        + report.totals().resultsText()
                                        + " bytesFreedUpTo="
                                        + report.totals().bytesReclaimed()));
        return report;
    }

    private static List<ReportEntry> planned(CleanupRequest request, ApplyOrder order) {
        List<Decision> ds = order.decisions();
        return ds.subList(request.fromIndex(), ds.size()).stream()
                .map(
                        d ->
                                ReportEntry.of(
                                        d,
                                        d.action() == Action.KEEP ? Result.KEPT : Result.PLANNED,
                                        null))
                .toList();
    }

    /**
     * Submits in apply order until the deadline, with at most {@code concurrency} decisions in
     * flight. A child or referrer is submitted only once the index or subject it depends on has
     * been applied, so its re-read sees whether that one is gone. The first decision the deadline
     * kept from being attempted (throttled past it) ends the entries: nothing is submitted after
     * it, and it and everything after it are left for the continuation, which starts at its
     * position.
     */
    private List<ReportEntry> applyAll(CleanupRequest request, ApplyOrder order) {
        List<Decision> ds = order.decisions();
        Plan plan = request.plan();
        DecisionApplier applier =
                new DecisionApplier(
                        registry,
                        deleteStep,
                        request,
                        order,
                        new Retrier(
                                backoff,
                                clock,
                                sleeper,
                                request.deadline(),
                                plan.repository() + " on " + plan.registry()));
        Semaphore slots = new Semaphore(concurrency);
        List<Future<Optional<ReportEntry>>> results = new ArrayList<>();
        Map<String, Future<Optional<ReportEntry>>> submitted = new HashMap<>();
        AtomicBoolean deadlineHit = new AtomicBoolean();
        // A worker interrupted while it waited: the stop was meant for the whole request.
        AtomicBoolean stopAsked = new AtomicBoolean();
        int pool = POOLS.incrementAndGet();
        ExecutorService workers =
                Executors.newFixedThreadPool(
                        concurrency,
                        r -> {
                            Thread t = new Thread(r, "cleaner-" + pool);
                            t.setDaemon(true);
                            return t;
                        });
        try {
            for (int i = request.fromIndex(); i < ds.size(); i++) {
                Decision d = ds.get(i);
                if (stop(request, deadlineHit)) {
                    break;
                }
                if (d.action() == Action.KEEP) {
                    results.add(
                            CompletableFuture.completedFuture(
                                    Optional.of(ReportEntry.of(d, Result.KEPT, null))));
                    continue;
                }
                for (String guardian : order.guardiansOf(d)) {
                    Future<Optional<ReportEntry>> first = submitted.get(guardian);
                    if (first != null) {
                        await(first);
                    }
                }
                slots.acquire();
                if (stop(request, deadlineHit)) {
                    slots.release();
                    break;
                }
                Future<Optional<ReportEntry>> f =
                        workers.submit(
                                () -> {
                                    try {
                                        Optional<ReportEntry> e = applier.apply(d);
                                        if (e.isEmpty()) {
                                            deadlineHit.set(true);
                                            if (Thread.currentThread().isInterrupted()) {
                                                stopAsked.set(true);
                                            }
                                        }
                                        return e;
                                    } finally {
                                        slots.release();
                                    }
                                });
                results.add(f);
                submitted.put(d.digest(), f);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            workers.shutdown();
        }
        // Every write in flight finishes before the report is made; the entries end at the first
        // one not applied.
        List<Optional<ReportEntry>> done = results.stream().map(Cleaner::await).toList();
        List<ReportEntry> entries = new ArrayList<>(done.size());
        for (Optional<ReportEntry> e : done) {
            if (e.isEmpty()) {
                break;
            }
            entries.add(e.get());
        }
        if (stopAsked.get()) {
            Thread.currentThread().interrupt();
        }
        if (entries.size() < done.size()) {
            LOG.info(
                    () ->
                            LogLine.of(
                                    request.runId(),
                                    plan.registry(),
                                    plan.repository(),
                                    "the deadline or an interrupt came before "
                                            + ds.get(request.fromIndex() + entries.size()).digest()
                                            + " could be applied: the continuation starts there,"
                                            + " and reads again the "
                                            + (done.size() - entries.size() - 1)
                                            + " decisions that were in flight after it"));
        }
        return entries;
    }

    /** No more decisions: the time is up, or one could not be attempted (deadline, interrupt). */
    private boolean stop(CleanupRequest request, AtomicBoolean deadlineHit) {
        return deadlineHit.get() || !clock.instant().isBefore(request.deadline());
    }

    private static <T> T await(Future<T> f) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    interrupted = true; // in-flight writes must finish and be reported
                } catch (ExecutionException e) {
                    throw new IllegalStateException(
                            "a cleanup worker failed unexpectedly", e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
