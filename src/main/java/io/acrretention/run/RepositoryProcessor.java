package io.acrretention.run;

import io.acrretention.cleanup.Cleaner;
import io.acrretention.cleanup.CleanupRequest;
import io.acrretention.cleanup.DeleteBudget;
import io.acrretention.cleanup.Report;
import io.acrretention.cleanup.ReportEntry;
import io.acrretention.cleanup.Result;
import io.acrretention.config.RetentionConfig;
import io.acrretention.quarantine.RepositoryQuarantine;
import io.acrretention.registry.Registry;
import io.acrretention.retention.Action;
import io.acrretention.retention.Guards;
import io.acrretention.retention.ListAndPlan;
import io.acrretention.retention.Mode;
import io.acrretention.retention.Plan;
import io.acrretention.retention.RetentionPolicy;
import io.acrretention.retention.Withheld;
import io.acrretention.usage.UsedImages;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Applies retention to one repository of a run (docs/architecture.md, the flow): loads the run's
 * inventory, lists the repository, plans, applies (or, in dry run or when withheld, only reports)
 * and writes the report. A repository too large for one invocation stops at the deadline and asks
 * for a continuation, which resumes the same stored plan at the next position.
 */
public final class RepositoryProcessor {
    private static final Logger LOG = Logger.getLogger(RepositoryProcessor.class.getName());

    /** The report, and the message that carries on when the deadline came first. */
    public record Outcome(Report report, Optional<RepositoryMessage> continuation) {}

    private final RetentionConfig config;
    private final Map<String, Registry> registries;
    private final InventoryCache inventories;
    private final RunDocuments documents;
    private final Function<Registry, Cleaner> cleaners;
    private final Function<String, DeleteBudget> budgets;
    private final Clock clock;
    private final StoredPlans plans;

    /**
     * @param budgets the run-wide delete budget for a run id (shared by every repository of the
     *     run)
     */
    public RepositoryProcessor(
            RetentionConfig config,
            Map<String, Registry> registries,
            InventoryCache inventories,
            RunDocuments documents,
            Function<Registry, Cleaner> cleaners,
            Function<String, DeleteBudget> budgets,
            Clock clock) {
        this.config = config;
        this.registries = Map.copyOf(registries);
        this.inventories = inventories;
        this.documents = documents;
        this.cleaners = cleaners;
        this.budgets = budgets;
        this.clock = clock;
        this.plans = new StoredPlans(documents);
    }

    public Outcome process(RepositoryMessage message, Instant deadline) {
        String runId = message.runId();
        Registry registry = registries.get(message.registry());
        if (registry == null) {
            throw new RepositoryMessage.InvalidMessageException(
                    "registry '"
                            + message.registry()
                            + "' is not configured (configured: "
                            + String.join(", ", registries.keySet())
                            + ")");
        }
        // The inventory's document name is its run: reading it checked that it belongs to this run.
        UsedImages inventory = inventories.get(runId);
        RetentionPolicy policy = config.policy().forRepository(message.repository());
        Instant now = clock.instant();
        List<Withheld> withheld = new ArrayList<>(Guards.check(inventory, policy, now));
        if (!config.policy().selects(message.repository())) {
            withheld.add(
                    new Withheld(
                            Withheld.Cause.NOT_SELECTED,
                            "repository "
                                    + message.repository()
                                    + " is no longer selected by the configuration"));
        }
        Mode mode = policy.mode().narrowedBy(message.mode());
        RepositoryQuarantine quarantine =
                new RepositoryQuarantine(
                        policy,
                        documents.quarantine(),
                        registry,
                        message.repository(),
                        runId,
                        clock);

        // A continuation resumes only the plan of its own run and repository, made before it was
        // sent.
        Optional<Plan> resumed =
                message.fromIndex() > 0
                        ? Optional.of(plans.forContinuation(message))
                        : Optional.empty();
        // A message may arrive more than once: what the report already holds is never applied or
        // appended again.
        String reportPath =
                RunDocuments.reportPath(runId, message.registry(), message.repository());
        Optional<Report> earlier =
                documents.report(runId, message.registry(), message.repository());
        earlier.ifPresent(r -> checkBelongs(r, message, reportPath));
        if (earlier.isPresent() && earlier.get().complete()) {
            LOG.info(
                    () ->
                            RunLog.line(
                                    runId,
                                    message.registry(),
                                    message.repository(),
                                    "already complete; the re-delivered message changes nothing"));
            return new Outcome(earlier.get(), Optional.empty());
        }
        int resumeAt = earlier.map(Report::nextIndex).orElse(0);
        if (message.fromIndex() > resumeAt) {
            throw new RepositoryMessage.InvalidMessageException(
                    "continuation at "
                            + message.fromIndex()
                            + " but "
                            + reportPath
                            + (earlier.isEmpty() ? " does not exist" : " reaches only " + resumeAt)
                            + ": the decisions in between would never be applied");
        }
        Plan plan;
        if (resumed.isPresent()) {
            // Listing again mid-way would shift positions; the cleaner re-reads each manifest
            // before a write,
            // so the stored plan stays safe.
            plan = resumed.get();
        } else {
            // A re-delivered first message finds the plan of its first delivery and lists nothing.
            Optional<Plan> stored = plans.find(message);
            if (stored.isEmpty() && earlier.isPresent()) {
                throw new RepositoryMessage.InvalidMessageException(
                        reportPath + " exists but the plan it was made" + " from does not");
            }
            plan =
                    stored.orElseGet(
                            () ->
                                    plans.keepFirst(
                                            message,
                                            ListAndPlan.plan(
                                                    registry,
                                                    message.repository(),
                                                    inventory,
                                                    policy,
                                                    now,
                                                    quarantine.view())));
        }
        if (resumeAt > plan.decisions().size()) {
            throw new RepositoryMessage.InvalidMessageException(
                    reportPath
                            + " reaches "
                            + resumeAt
                            + ", beyond the "
                            + plan.decisions().size()
                            + " decisions of its plan");
        }
        LOG.info(
                () ->
                        RunLog.line(
                                runId,
                                message.registry(),
                                message.repository(),
                                "planned "
                                        + plan.decisions().size()
                                        + " manifests: keep "
                                        + plan.count(Action.KEEP)
                                        + ", untag "
                                        + plan.count(Action.UNTAG)
                                        + ", delete "
                                        + plan.count(Action.DELETE)
                                        + "; mode "
                                        + mode.json()
                                        + (withheld.isEmpty()
                                                ? ""
                                                : "; withheld: " + withheld.get(0).message())
                                        + (resumeAt > 0 ? "; continuing at " + resumeAt : "")));

        // The inventory's age bounds every apply, the command line's too: past maxInventoryAge it
        // is stale.
        Instant until = earliest(deadline, inventory.collectedAt().plus(policy.maxInventoryAge()));
        // The cleaner writes where the plan says; it refuses whatever the inventory marks used
        // there.
        CleanupRequest request =
                new CleanupRequest(
                        runId,
                        plan,
                        inventory.usageOf(registry.loginServer(), plan.repository()),
                        mode,
                        withheld,
                        budgets.apply(runId),
                        resumeAt,
                        until);
        Report applied = quarantine.cleaner(cleaners.apply(registry)).apply(request);
        quarantine.afterApply(plan, applied, request.writes(), resumeAt == 0);
        if (!applied.complete() && applied.nextIndex() == resumeAt) {
            // A continuation that moved nothing would chase its own tail; fail so the host retries
            // it later.
            throw new IllegalStateException(
                    "no decision of "
                            + message.repository()
                            + " could be applied from "
                            + resumeAt
                            + " before "
                            + until);
        }
        Report report =
                merge(
                        earlier.map(Report::entries).orElse(List.of()),
                        earlier.map(Report::withheld).orElse(List.of()),
                        applied);
        documents.saveReport(report);
        LOG.info(
                () ->
                        RunLog.line(
                                runId,
                                message.registry(),
                                message.repository(),
                                "applied: "
                                        + report.totals().resultsText()
                                        + ", up to "
                                        + report.totals().bytesReclaimed()
                                        + " bytes freed"
                                        + (report.complete()
                                                ? ""
                                                : "; continues at " + report.nextIndex())));
        return new Outcome(
                report,
                report.complete()
                        ? Optional.empty()
                        : Optional.of(message.continueFrom(report.nextIndex(), clock.instant())));
    }

    /**
     * Records that a repository could not be processed, so the run's status names it.
     *
     * @param permanent true when retrying cannot help (the message goes to the poison queue)
     */
    public RepositoryFailure recordFailure(
            RepositoryMessage message, Throwable error, boolean permanent) {
        String text = error.getClass().getSimpleName() + ": " + error.getMessage();
        LOG.severe(
                () ->
                        RunLog.line(
                                message.runId(),
                                message.registry(),
                                message.repository(),
                                (permanent ? "failed permanently: " : "failed, will retry: ")
                                        + text));
        RepositoryFailure failure =
                new RepositoryFailure(
                        message.runId(),
                        message.registry(),
                        message.repository(),
                        clock.instant(),
                        text,
                        permanent);
        documents.saveFailure(failure);
        return failure;
    }

    /**
     * The report so far plus what was just applied. Withheld reasons add up; reaching the delete
     * cap is one of them, so a capped run never looks like a clean finish.
     */
    private Report merge(List<ReportEntry> earlier, List<Withheld> earlierWithheld, Report later) {
        List<ReportEntry> entries = new ArrayList<>(earlier);
        entries.addAll(later.entries());
        long skipped =
                later.entries().stream().filter(e -> e.result() == Result.SKIPPED_CAP).count();
        Set<Withheld> withheld = new LinkedHashSet<>(earlierWithheld);
        withheld.addAll(later.withheld());
        withheld.addAll(Guards.deleteCap(skipped, config.policy()));
        return new Report(
                later.version(),
                later.runId(),
                later.registry(),
                later.repository(),
                later.mode(),
                later.plannedAt(),
                later.finishedAt(),
                List.copyOf(withheld),
                later.complete(),
                later.nextIndex(),
                entries,
                Report.Totals.of(entries));
    }

    private static void checkBelongs(Report report, RepositoryMessage message, String path) {
        if (!message.runId().equals(report.runId())
                || !message.registry().equals(report.registry())
                || !message.repository().equals(report.repository())) {
            throw new RepositoryMessage.InvalidMessageException(
                    path
                            + " names run "
                            + report.runId()
                            + ", "
                            + report.registry()
                            + "/"
                            + report.repository()
                            + ", not the message's");
        }
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
