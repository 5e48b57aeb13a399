package io.acrretention.cleanup;

import io.acrretention.registry.Manifest;
import io.acrretention.registry.Registry;
import io.acrretention.registry.RegistryException;
import io.acrretention.registry.Tag;
import io.acrretention.retention.Action;
import io.acrretention.retention.Decision;
import io.acrretention.retention.Mode;
import io.acrretention.retention.Plan;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
import java.util.function.Supplier;

/**
 * Applies one repository's plan (DESIGN.md "Reports", invariants 2, 4, 5, 6). Dry run, or a withheld deletion,
 * takes the same path to the same entries and writes nothing. In delete mode, decisions run on at most
 * {@code concurrency} threads (the only threads in the product); each one re-reads its manifest just before
 * writing and leaves it alone when it changed since the listing, so a re-push during the run is never lost.
 * Retries of writes and of those re-reads live here, not in the SDK: see {@link Backoff} and {@link ThrottleGate}.
 * Results come back in plan order whatever order the threads finish in.
 */
public final class Cleaner {
    private static final System.Logger LOG = System.getLogger(Cleaner.class.getName());
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

    public Cleaner(Registry registry, int concurrency, Backoff backoff, Clock clock, Sleeper sleeper) {
        this(registry, concurrency, backoff, clock, sleeper, null);
    }

    private Cleaner(Registry registry, int concurrency, Backoff backoff, Clock clock, Sleeper sleeper,
                    DeleteStep deleteStep) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("deleteConcurrency must be >= 1, not " + concurrency);
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
        return new Cleaner(registry, concurrency, backoff, clock, sleeper, Objects.requireNonNull(step, "step"));
    }

    public Report apply(CleanupRequest request) {
        Plan plan = request.plan();
        Mode mode = request.writes() ? Mode.DELETE : Mode.DRY_RUN;
        LOG.log(System.Logger.Level.INFO, "runId={0} registry={1} repository={2} cleanup started: mode={3} decisions={4}"
                        + " from={5} delete={6} untag={7}", request.runId(), plan.registry(), plan.repository(),
                mode.json(), plan.decisions().size(), request.fromIndex(), plan.count(Action.DELETE),
                plan.count(Action.UNTAG));
        List<ReportEntry> entries = request.writes() ? applyAll(request) : planned(request);
        int next = request.fromIndex() + entries.size();
        Report report = new Report(Report.VERSION, request.runId(), plan.registry(), plan.repository(), mode,
                plan.plannedAt(), clock.instant(), request.withheld(), next == plan.decisions().size(), next, entries,
                Report.Totals.of(entries));
        LOG.log(System.Logger.Level.INFO, "runId={0} registry={1} repository={2} cleanup ended: complete={3} next={4}"
                        + " results={5} bytesReclaimed={6}", request.runId(), plan.registry(), plan.repository(),
                report.complete(), next, report.totals().resultsText(), report.totals().bytesReclaimed());
        return report;
    }

    private static List<ReportEntry> planned(CleanupRequest request) {
        List<Decision> ds = request.plan().decisions();
        return ds.subList(request.fromIndex(), ds.size()).stream()
                .map(d -> ReportEntry.of(d, d.action() == Action.KEEP ? Result.KEPT : Result.PLANNED, null))
                .toList();
    }

    /** Submits in plan order until the deadline, with at most {@code concurrency} decisions in flight. */
    private List<ReportEntry> applyAll(CleanupRequest request) {
        List<Decision> ds = request.plan().decisions();
        Applier applier = new Applier(request);
        Semaphore slots = new Semaphore(concurrency);
        List<Future<ReportEntry>> results = new ArrayList<>();
        int pool = POOLS.incrementAndGet();
        ExecutorService workers = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "cleaner-" + pool);
            t.setDaemon(true);
            return t;
        });
        try {
            for (int i = request.fromIndex(); i < ds.size(); i++) {
                Decision d = ds.get(i);
                if (!clock.instant().isBefore(request.deadline())) {
                    break;
                }
                if (d.action() == Action.KEEP) {
                    results.add(CompletableFuture.completedFuture(ReportEntry.of(d, Result.KEPT, null)));
                    continue;
                }
                slots.acquire();
                if (!clock.instant().isBefore(request.deadline())) {
                    slots.release();
                    break;
                }
                results.add(workers.submit(() -> {
                    try {
                        return applier.apply(d);
                    } finally {
                        slots.release();
                    }
                }));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            workers.shutdown();
        }
        List<ReportEntry> entries = new ArrayList<>(results.size());
        for (Future<ReportEntry> f : results) {
            entries.add(await(f));
        }
        return entries;
    }

    private static ReportEntry await(Future<ReportEntry> f) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    interrupted = true; // in-flight writes must finish and be reported
                } catch (ExecutionException e) {
                    throw new IllegalStateException("a cleanup worker failed unexpectedly", e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One request's shared state: the throttle gate and whether the delete cap has been reached. */
    private final class Applier {
        private final CleanupRequest request;
        private final String repository;
        private final ThrottleGate gate = new ThrottleGate(clock, sleeper);
        private final AtomicBoolean capReached = new AtomicBoolean();

        Applier(CleanupRequest request) {
            this.request = request;
            this.repository = request.plan().repository();
        }

        ReportEntry apply(Decision d) {
            try {
                return d.action() == Action.DELETE ? delete(d) : untag(d);
            } catch (RegistryException e) {
                return ReportEntry.of(d, e.kind() == RegistryException.Kind.LOCKED ? Result.LOCKED : Result.FAILED,
                        e.getMessage());
            } catch (RuntimeException e) {
                return ReportEntry.of(d, Result.FAILED, d.action().json() + " " + d.digest() + " in " + repository
                        + " on " + request.plan().registry() + " failed: " + e);
            }
        }

        private ReportEntry delete(Decision d) {
            Optional<Manifest> now = retried(() -> registry.refresh(repository, d.digest()));
            if (now.isEmpty()) {
                return ReportEntry.of(d, Result.ALREADY_GONE, null);
            }
            Manifest m = now.get();
            if (changed(d, m)) {
                return ReportEntry.of(d, Result.CHANGED_DURING_RUN, null);
            }
            if (m.locked() || m.tags().stream().anyMatch(Tag::locked)) {
                return ReportEntry.of(d, Result.LOCKED, null);
            }
            if (!take()) {
                return ReportEntry.of(d, Result.SKIPPED_CAP, null);
            }
            if (deleteStep != null) {
                return ReportEntry.of(d, deleteStep.apply(d, m, this::retried), null);
            }
            Registry.DeleteOutcome outcome = retried(() -> registry.deleteManifest(repository, d.digest()));
            return ReportEntry.of(d, outcome == Registry.DeleteOutcome.DELETED ? Result.DELETED : Result.ALREADY_GONE,
                    null);
        }

        /** Removes the listed tags one by one, each re-read just before; the worst outcome is the entry's. */
        private ReportEntry untag(Decision d) {
            Result result = Result.UNTAGGED;
            List<String> errors = new ArrayList<>();
            for (String name : d.untag()) {
                Optional<Manifest> now = retried(() -> registry.refresh(repository, d.digest()));
                Tag t = now.flatMap(m -> m.tags().stream().filter(x -> x.name().equals(name)).findFirst()).orElse(null);
                if (t == null || !t.digest().equals(d.digest()) || newerThanPlan(t.lastUpdateTime())) {
                    result = worse(result, Result.CHANGED_DURING_RUN);
                    continue;
                }
                if (t.locked()) {
                    result = worse(result, Result.LOCKED);
                    continue;
                }
                if (!take()) {
                    result = worse(result, Result.SKIPPED_CAP);
                    break;
                }
                try {
                    retried(() -> registry.untag(repository, name));
                } catch (RegistryException e) {
                    boolean locked = e.kind() == RegistryException.Kind.LOCKED;
                    result = worse(result, locked ? Result.LOCKED : Result.FAILED);
                    if (!locked) {
                        errors.add(e.getMessage());
                    }
                }
            }
            return ReportEntry.of(d, result, errors.isEmpty() ? null : String.join("; ", errors));
        }

        /**
         * Changed since the listing: other tags, another update time, or a tag pushed after the plan was made
         * (a re-push of the same content keeps the tag names but moves the tag's time).
         */
        private boolean changed(Decision d, Manifest m) {
            return !new HashSet<>(d.tags()).equals(new HashSet<>(m.tagNames()))
                    || !Objects.equals(d.lastUpdateTime(), m.lastUpdateTime())
                    || m.tags().stream().anyMatch(t -> newerThanPlan(t.lastUpdateTime()));
        }

        private boolean newerThanPlan(Instant t) {
            return t != null && t.isAfter(request.plan().plannedAt());
        }

        /** One unit of the budget; once refused, every later write of this request is skipped too. */
        private boolean take() {
            if (capReached.get()) {
                return false;
            }
            if (request.budget().tryAcquire()) {
                return true;
            }
            capReached.set(true);
            return false;
        }

        /**
         * Retries throttling, 5xx and network failures with jittered exponential back-off; a Retry-After wins and
         * closes the gate for every worker. Gives up after {@link Backoff#maxAttempts()} or when the next attempt
         * would start after the deadline.
         */
        private <T> T retried(Supplier<T> call) {
            for (int attempt = 1; ; attempt++) {
                if (!awaitGate()) {
                    throw new RegistryException(RegistryException.Kind.THROTTLED, 429, "gave up on " + repository
                            + " on " + request.plan().registry() + ": throttled past the deadline", null);
                }
                try {
                    return call.get();
                } catch (RegistryException e) {
                    if (!e.kind().retryable() || attempt >= backoff.maxAttempts()) {
                        throw e;
                    }
                    int failed = attempt;
                    Duration wait = e.retryAfter().orElseGet(() -> backoff.delay(failed));
                    if (clock.instant().plus(wait).isAfter(request.deadline())) {
                        throw e;
                    }
                    if (e.kind() == RegistryException.Kind.THROTTLED) {
                        gate.closeFor(wait);
                    } else {
                        sleep(wait);
                    }
                }
            }
        }

        private boolean awaitGate() {
            try {
                return gate.awaitOpen(request.deadline());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw interrupted(e);
            }
        }

        private RegistryException interrupted(InterruptedException e) {
            return new RegistryException(RegistryException.Kind.OTHER, 0, "interrupted while cleaning " + repository
                    + " on " + request.plan().registry(), e);
        }

        private void sleep(Duration d) {
            try {
                sleeper.sleep(d);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw interrupted(e);
            }
        }
    }

    private static Result worse(Result a, Result b) {
        return rank(b) > rank(a) ? b : a;
    }

    private static int rank(Result r) {
        return switch (r) {
            case FAILED -> 4;
            case LOCKED -> 3;
            case SKIPPED_CAP -> 2;
            case CHANGED_DURING_RUN -> 1;
            default -> 0;
        };
    }
}
