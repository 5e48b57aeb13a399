package io.acrretention.cleanup;

import io.acrretention.log.Log;
import io.acrretention.log.LogLine;
import io.acrretention.registry.Manifest;
import io.acrretention.registry.Registry;
import io.acrretention.registry.RegistryException;
import io.acrretention.registry.Tag;
import io.acrretention.retention.Action;
import io.acrretention.retention.Decision;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Applies single decisions of one request, from any worker thread (docs/decision-rule.md "Applying
 * a plan while the registry changes"). Every attempt of every write, the first and each one after a
 * Retry-After wait, is preceded by a re-read ({@link #write}): a target that changed since the
 * listing is left alone ({@code changed-during-run}), and so is a child or referrer whose index or
 * subject is still there. A digest or tag the run's inventory marks as used is never written,
 * whatever the plan says ({@code refused-in-use}).
 */
final class DecisionApplier {
    private static final Log LOG = Log.of(DecisionApplier.class);

    /** How one write (or one decision) ended; {@code error} says why when it did not end well. */
    record Outcome(Result result, String error) {
        static Outcome of(Result result) {
            return new Outcome(result, null);
        }
    }

    private final Registry registry;

    /** What a planned delete does once it may go ahead: null to delete, else quarantine's step. */
    private final DeleteStep deleteStep;

    private final CleanupRequest request;
    private final ApplyOrder order;
    private final Retrier retrier;
    private final String repository;
    private final String where;

    /**
     * Set once the budget refused or could not be read: every later write of this request is
     * skipped.
     */
    private final AtomicReference<Outcome> budgetStop = new AtomicReference<>();

    DecisionApplier(
            Registry registry,
            DeleteStep deleteStep,
            CleanupRequest request,
            ApplyOrder order,
            Retrier retrier) {
        this.registry = registry;
        this.deleteStep = deleteStep;
        this.request = request;
        this.order = order;
        this.retrier = retrier;
        this.repository = request.plan().repository();
        this.where = repository + " on " + request.plan().registry();
    }

    /**
     * How applying the decision ended; empty when the deadline came first (the throttle or the next
     * retry would end after it) or the thread was interrupted (then it stays so). An empty decision
     * is not applied: the continuation applies it again, re-read first, so a part already done (a
     * tag removed, a write that landed after all) is found done or changed, never done twice.
     */
    Optional<ReportEntry> apply(Decision d) {
        Outcome o;
        try {
            o = d.action() == Action.DELETE ? delete(d) : untag(d);
        } catch (DeadlineReached | Interrupted e) {
            // Past the deadline, or told to stop (the thread stays interrupted): the decision is
            // the continuation's.
            LOG.info(
                    () ->
                            LogLine.of(
                                    request.runId(),
                                    request.plan().registry(),
                                    repository,
                                    "left "
                                            + d.digest()
                                            + " for the continuation ("
                                            + d.action().json()
                                            + " planned): "
                                            + e.getMessage()));
            return Optional.empty();
        } catch (RegistryException e) {
            o =
                    new Outcome(
                            e.kind() == RegistryException.Kind.LOCKED
                                    ? Result.LOCKED
                                    : Result.FAILED,
                            e.getMessage());
        } catch (RuntimeException e) {
            o =
                    new Outcome(
                            Result.FAILED,
                            d.action().json()
                                    + " "
                                    + d.digest()
                                    + " in "
                                    + where
                                    + " failed: "
                                    + e);
        }
        return Optional.of(ReportEntry.of(d, o.result(), o.error()));
    }

    private Outcome delete(Decision d) {
        Optional<String> used = usedBy(d);
        if (used.isPresent()) {
            return refused("delete manifest " + d.digest(), used.get());
        }
        AtomicReference<Manifest> current = new AtomicReference<>();
        return write(
                () -> beforeDelete(d, current),
                () -> {
                    if (deleteStep != null) {
                        return Outcome.of(deleteStep.apply(d, current.get(), retrier::read));
                    }
                    Registry.DeleteOutcome out = registry.deleteManifest(repository, d.digest());
                    return Outcome.of(
                            out == Registry.DeleteOutcome.DELETED
                                    ? Result.DELETED
                                    : Result.ALREADY_GONE);
                });
    }

    /**
     * Removes the listed tags one by one, each with its own re-reads; the worst outcome is the
     * entry's.
     */
    private Outcome untag(Decision d) {
        Result result = Result.UNTAGGED;
        List<String> errors = new ArrayList<>();
        for (String name : d.untag()) {
            Outcome o;
            if (request.used().usesTag(name)) {
                o =
                        refused(
                                "untag " + name + " of " + d.digest(),
                                "the run's inventory uses the tag " + name);
            } else {
                try {
                    o =
                            write(
                                    () -> beforeUntag(d, name),
                                    () -> {
                                        registry.untag(repository, name);
                                        return Outcome.of(Result.UNTAGGED);
                                    });
                } catch (RegistryException e) {
                    boolean locked = e.kind() == RegistryException.Kind.LOCKED;
                    o =
                            new Outcome(
                                    locked ? Result.LOCKED : Result.FAILED,
                                    locked ? null : e.getMessage());
                }
            }
            result = worse(result, o.result());
            if (o.error() != null) {
                errors.add(o.error());
            }
            if (o.result() == Result.SKIPPED_CAP || o == budgetStop.get()) {
                break;
            }
        }
        return new Outcome(result, errors.isEmpty() ? null : String.join("; ", errors));
    }

    /**
     * The one place a write happens. Before every attempt the target is read again; the first
     * attempt that passes takes a unit of the delete budget. A retryable failure waits (a
     * Retry-After closes the gate for every worker) and goes round again, re-read included: the
     * registry may change during the wait.
     *
     * <p>When the deadline stops the write ({@link DeadlineReached}), its unit stays taken: the
     * last attempt may have landed (a 5xx or a lost connection says nothing about that), and the
     * continuation takes another unit if it writes. A unit counted twice can only make the run
     * delete less than {@code maxDeletesPerRun}, never more, and it happens at most once per worker
     * at the end of an invocation.
     *
     * @param recheck empty when the write may go ahead, else how the decision ends without it
     */
    private Outcome write(Supplier<Optional<Outcome>> recheck, Supplier<Outcome> call) {
        boolean counted = false;
        for (int attempt = 1; ; attempt++) {
            retrier.awaitGate();
            // The pacing waits before the re-read, so that nothing but the budget lies between
            // the read and the write.
            retrier.awaitWriteTurn();
            Optional<Outcome> stop = recheck.get();
            if (stop.isPresent()) {
                return stop.get();
            }
            if (!counted) {
                Outcome refused = take();
                if (refused != null) {
                    return refused;
                }
                counted = true;
            }
            try {
                return call.get();
            } catch (RegistryException e) {
                retrier.waitAfter(e, attempt);
            }
        }
    }

    /**
     * The index or subject it depends on must be gone; then the manifest as it is now is compared
     * with the listing. The manifest is read last, so nothing but the budget lies between that read
     * and the write.
     */
    private Optional<Outcome> beforeDelete(Decision d, AtomicReference<Manifest> current) {
        for (String guardian : order.guardiansOf(d)) {
            if (retrier.read(() -> registry.refresh(repository, guardian)).isPresent()) {
                return changedDuringRun(
                        d, guardian + ", which names it or which it refers to, is still there");
            }
        }
        Optional<Manifest> now = retrier.read(() -> registry.refresh(repository, d.digest()));
        if (now.isEmpty()) {
            return Optional.of(Outcome.of(Result.ALREADY_GONE));
        }
        Manifest m = now.get();
        current.set(m);
        if (changed(d, m)) {
            return changedDuringRun(
                    d, "its tags or update time changed since the listing: now " + m.tagNames());
        }
        if (m.locked() || m.tags().stream().anyMatch(Tag::locked)) {
            return Optional.of(Outcome.of(Result.LOCKED));
        }
        return Optional.empty();
    }

    /**
     * The tag must still name this manifest, unchanged since the plan: a re-pushed tag names a new
     * build.
     */
    private Optional<Outcome> beforeUntag(Decision d, String name) {
        Optional<Manifest> now = retrier.read(() -> registry.refresh(repository, d.digest()));
        Tag t =
                now.flatMap(m -> m.tags().stream().filter(x -> x.name().equals(name)).findFirst())
                        .orElse(null);
        if (t == null || !t.digest().equals(d.digest()) || newerThanPlan(t.lastUpdateTime())) {
            return changedDuringRun(d, "tag " + name + " no longer names it as listed");
        }
        return t.locked() ? Optional.of(Outcome.of(Result.LOCKED)) : Optional.empty();
    }

    /**
     * Changed since the listing: other tags, another update time, or a tag pushed after the plan
     * was made (a re-push of the same content keeps the tag names but moves the tag's time).
     */
    private boolean changed(Decision d, Manifest m) {
        return !new HashSet<>(d.tags()).equals(new HashSet<>(m.tagNames()))
                || !Objects.equals(d.lastUpdateTime(), m.lastUpdateTime())
                || m.tags().stream().anyMatch(t -> newerThanPlan(t.lastUpdateTime()));
    }

    private boolean newerThanPlan(Instant t) {
        return t != null && t.isAfter(request.plan().plannedAt());
    }

    private Optional<Outcome> changedDuringRun(Decision d, String why) {
        LOG.info(
                () ->
                        LogLine.of(
                                request.runId(),
                                request.plan().registry(),
                                repository,
                                "left "
                                        + d.digest()
                                        + " alone ("
                                        + d.action().json()
                                        + " planned): "
                                        + why));
        return Optional.of(Outcome.of(Result.CHANGED_DURING_RUN));
    }

    /**
     * Why the inventory forbids deleting this manifest: its digest or one of its tags is in use.
     */
    private Optional<String> usedBy(Decision d) {
        if (request.used().usesDigest(d.digest())) {
            return Optional.of("the run's inventory uses the digest " + d.digest());
        }
        return d.tags().stream()
                .filter(request.used()::usesTag)
                .findFirst()
                .map(t -> "the run's inventory uses its tag " + t);
    }

    /**
     * A plan that contradicts the inventory is a bug or a stale or forged plan: refuse it and say
     * so loudly.
     */
    private Outcome refused(String what, String why) {
        String message =
                "refused to " + what + " in " + where + ": " + why + "; the plan said otherwise";
        LOG.error(LogLine.of(request.runId(), null, null, message));
        return new Outcome(Result.REFUSED_IN_USE, message);
    }

    /**
     * One unit of the budget, or how the write ends without it. Once the budget refuses, or cannot
     * be read (fail closed: a cap we cannot check is a cap reached), every later write of this
     * request ends the same way.
     */
    private Outcome take() {
        Outcome stopped = budgetStop.get();
        if (stopped != null) {
            return stopped;
        }
        Outcome refused;
        try {
            if (request.budget().tryAcquire()) {
                return null;
            }
            refused = Outcome.of(Result.SKIPPED_CAP);
        } catch (RuntimeException e) {
            refused =
                    new Outcome(
                            Result.FAILED,
                            "not written in "
                                    + where
                                    + ": the delete budget could not be"
                                    + " checked, so no more writes this invocation: "
                                    + e.getMessage());
            LOG.error(LogLine.of(request.runId(), null, null, refused.error()));
        }
        budgetStop.compareAndSet(null, refused);
        return budgetStop.get();
    }

    static Result worse(Result a, Result b) {
        return rank(b) > rank(a) ? b : a;
    }

    private static int rank(Result r) {
        return switch (r) {
            case FAILED -> 5;
            case REFUSED_IN_USE -> 4;
            case LOCKED -> 3;
            case SKIPPED_CAP -> 2;
            case CHANGED_DURING_RUN -> 1;
            default -> 0;
        };
    }
}
