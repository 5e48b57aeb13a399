package io.acrretention.run;

import io.acrretention.cleanup.Cleaner;
import io.acrretention.cleanup.CleanupRequest;
import io.acrretention.cleanup.DeleteBudget;
import io.acrretention.cleanup.Report;
import io.acrretention.cleanup.ReportEntry;
import io.acrretention.config.RetentionConfig;
import io.acrretention.inventory.UsedImages;
import io.acrretention.quarantine.QuarantineStore;
import io.acrretention.quarantine.RepositoryQuarantine;
import io.acrretention.registry.Registry;
import io.acrretention.retention.Guards;
import io.acrretention.retention.Mode;
import io.acrretention.retention.Plan;
import io.acrretention.retention.RetentionPlanner;
import io.acrretention.retention.RetentionPolicy;
import io.acrretention.retention.Withheld;
import io.acrretention.store.DocumentStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Applies retention to one repository of a run (DESIGN.md, ApplyRetention): loads the run's inventory,
 * lists the repository, plans, applies (or, in dry run or when withheld, only reports) and writes the report.
 * A repository too large for one invocation stops at the deadline and asks for a continuation, which
 * resumes the same stored plan at the next position.
 */
public final class RepositoryProcessor {
    private static final Logger LOG = Logger.getLogger(RepositoryProcessor.class.getName());

    /** The report, and the message that carries on when the deadline came first. */
    public record Outcome(Report report, Optional<RepositoryMessage> continuation) {
    }

    private final RetentionConfig config;
    private final Map<String, Registry> registries;
    private final InventoryCache inventories;
    private final DocumentStore store;
    private final Function<Registry, Cleaner> cleaners;
    private final Function<String, DeleteBudget> budgets;
    private final Clock clock;

    /**
     * @param budgets the run-wide delete budget for a run id (shared by every repository of the run)
     */
    public RepositoryProcessor(RetentionConfig config, Map<String, Registry> registries, InventoryCache inventories,
                               DocumentStore store, Function<Registry, Cleaner> cleaners,
                               Function<String, DeleteBudget> budgets, Clock clock) {
        this.config = config;
        this.registries = Map.copyOf(registries);
        this.inventories = inventories;
        this.store = store;
        this.cleaners = cleaners;
        this.budgets = budgets;
        this.clock = clock;
    }

    public Outcome process(RepositoryMessage message, Instant deadline) {
        String runId = message.runId();
        Registry registry = registries.get(message.registry());
        if (registry == null) {
            throw new RepositoryMessage.InvalidMessageException("registry '" + message.registry()
                    + "' is not configured (configured: " + String.join(", ", registries.keySet()) + ")");
        }
        UsedImages inventory = inventories.get(message.inventory());
        if (!inventory.runId().equals(runId)) {
            throw new RepositoryMessage.InvalidMessageException("inventory " + message.inventory() + " belongs to run "
                    + inventory.runId() + ", not " + runId);
        }
        RetentionPolicy policy = config.policy().forRepository(message.repository());
        Instant now = clock.instant();
        List<Withheld> withheld = new ArrayList<>(Guards.check(inventory, policy, now));
        if (!config.policy().selects(message.repository())) {
            withheld.add(new Withheld(Withheld.Cause.NOT_SELECTED, "repository " + message.repository()
                    + " is no longer selected by the configuration"));
        }
        Mode mode = policy.mode().narrowedBy(message.mode());
        RepositoryQuarantine quarantine = new RepositoryQuarantine(policy, new QuarantineStore(store), registry,
                message.repository(), runId, clock);

        Plan plan;
        List<ReportEntry> earlier = List.of();
        String planPath = ReportPaths.plan(runId, message.registry(), message.repository());
        String reportPath = ReportPaths.report(runId, message.registry(), message.repository());
        if (message.fromIndex() == 0) {
            plan = RetentionPlanner.plan(registry.artifacts(message.repository()), inventory, policy, now,
                    quarantine.view());
        } else {
            // A continuation applies the plan made by the first message: listing again mid-way would shift
            // positions. The cleaner re-reads each manifest before a write, so an old plan stays safe.
            plan = store.get(planPath).map(b -> Documents.fromJson(b, Plan.class, planPath)).orElseThrow(
                    () -> new RepositoryMessage.InvalidMessageException("continuation at " + message.fromIndex()
                            + " but the plan " + planPath + " is missing"));
            earlier = store.get(reportPath).map(b -> Documents.fromJson(b, Report.class, reportPath).entries())
                    .orElse(List.of());
        }
        LOG.info(() -> RunLog.line(runId, message.registry(), message.repository(), "planned " + plan.decisions().size()
                + " manifests: keep " + plan.count(io.acrretention.retention.Action.KEEP) + ", untag "
                + plan.count(io.acrretention.retention.Action.UNTAG) + ", delete "
                + plan.count(io.acrretention.retention.Action.DELETE) + "; mode " + mode.json()
                + (withheld.isEmpty() ? "" : "; withheld: " + withheld.get(0).message())
                + (message.fromIndex() > 0 ? "; continuing at " + message.fromIndex() : "")));

        CleanupRequest request = new CleanupRequest(runId, plan, mode, withheld, budgets.apply(runId),
                message.fromIndex(), deadline);
        Report applied = quarantine.cleaner(cleaners.apply(registry)).apply(request);
        quarantine.afterApply(plan, applied, request.writes(), message.fromIndex() == 0);
        if (!applied.complete() && applied.nextIndex() == message.fromIndex()) {
            // A continuation that moved nothing would chase its own tail; fail so the host retries it later.
            throw new IllegalStateException("no decision of " + message.repository() + " could be applied from "
                    + message.fromIndex() + " before the deadline " + deadline);
        }
        Report report = earlier.isEmpty() ? applied : merge(earlier, applied);
        if (!report.complete() && message.fromIndex() == 0) {
            store.put(planPath, Documents.toJson(plan));
        }
        store.put(reportPath, Documents.toJson(report));
        LOG.info(() -> RunLog.line(runId, message.registry(), message.repository(), "applied: "
                + report.totals().resultsText() + ", " + report.totals().bytesReclaimed() + " bytes reclaimed"
                + (report.complete() ? "" : "; continues at " + report.nextIndex())));
        return new Outcome(report, report.complete() ? Optional.empty()
                : Optional.of(message.continueFrom(report.nextIndex())));
    }

    /**
     * Records that a repository could not be processed, so the run's status names it.
     *
     * @param permanent true when retrying cannot help (the message goes to the poison queue)
     */
    public RepositoryFailure recordFailure(RepositoryMessage message, Throwable error, boolean permanent) {
        String text = error.getClass().getSimpleName() + ": " + error.getMessage();
        LOG.severe(() -> RunLog.line(message.runId(), message.registry(), message.repository(),
                (permanent ? "failed permanently: " : "failed, will retry: ") + text));
        RepositoryFailure failure = new RepositoryFailure(message.runId(), message.registry(), message.repository(),
                clock.instant(), text, permanent);
        store.put(ReportPaths.failure(message.runId(), message.registry(), message.repository()),
                Documents.toJson(failure));
        return failure;
    }

    private static Report merge(List<ReportEntry> earlier, Report later) {
        List<ReportEntry> entries = new ArrayList<>(earlier);
        entries.addAll(later.entries());
        return new Report(later.version(), later.runId(), later.registry(), later.repository(), later.mode(),
                later.plannedAt(), later.finishedAt(), later.withheld(), later.complete(), later.nextIndex(), entries,
                Report.Totals.of(entries));
    }
}
