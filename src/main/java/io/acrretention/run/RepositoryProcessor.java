package io.acrretention.run;

import io.acrretention.cleanup.Cleaner;
import io.acrretention.cleanup.CleanupRequest;
import io.acrretention.cleanup.DeleteBudget;
import io.acrretention.cleanup.Report;
import io.acrretention.cleanup.ReportEntry;
import io.acrretention.cleanup.Result;
import io.acrretention.config.RetentionConfig;
import io.acrretention.log.Log;
import io.acrretention.log.LogLine;
import io.acrretention.quarantine.RepositoryQuarantine;
import io.acrretention.registry.Registry;
import io.acrretention.retention.Action;
import io.acrretention.retention.Guards;
import io.acrretention.retention.ListAndPlan;
import io.acrretention.retention.Mode;
import io.acrretention.retention.Plan;
import io.acrretention.retention.RepositoryPolicy;
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

/**
 * Applies retention to one repository of a run (docs/architecture.md, the flow): loads the run's
 * inventory, lists the repository, plans, applies (or, in dry run or when withheld, only reports)
 * and writes the report. A repository too large for one invocation stops at the deadline and asks
 * for a continuation, which resumes the same stored plan at the next position.
 */
public final class RepositoryProcessor {
    private static final Log LOG = Log.of(RepositoryProcessor.class);

    /** The report, and the message that carries on when the deadline came first. */
    public record Outcome(Report report, Optional<RepositoryMessage> continuation) {}

    private final RetentionConfig config;
    private final Map<String, Registry> registries;
    private final InventoryCache inventories;
    private final RunDocuments documents;
    private final Function<Registry, Cleaner> cleaners;
    private final Function<String, DeleteBudget> budgets;
    private final Clock clock;
    private final Resumption resumption;

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
        this.resumption = new Resumption(documents);
    }

    public Outcome process(RepositoryMessage message, Instant deadline) {
        Work work = work(message);
        Resumption.Start start = resumption.start(message);
        if (start.finished()) {
            log(message, "already complete; the re-delivered message changes nothing");
            return new Outcome(start.earlier().get(), Optional.empty());
        }
        Plan plan =
                resumption.plan(
                        message,
                        start,
                        () ->
                                ListAndPlan.plan(
                                        work.registry(),
                                        message.repository(),
                                        work.inventory(),
                                        work.policy(),
                                        work.now(),
                                        work.quarantine().view()));
        logPlanned(message, plan, work.mode(), work.withheld(), start.at());
        Report report = merge(start.earlier(), apply(work, plan, start.at(), deadline));
        documents.saveReport(report);
        log(
                message,
                "applied: "
                        + report.totals().resultsText()
                        + ", up to "
                        + report.totals().bytesReclaimed()
                        + " bytes freed"
                        + (report.complete() ? "" : "; continues at " + report.nextIndex()));
        return new Outcome(
                report,
                report.complete()
                        ? Optional.empty()
                        : Optional.of(message.continueFrom(report.nextIndex(), clock.instant())));
    }

    /** What one delivery of a message works with, decided before anything is read or planned. */
    private record Work(
            RepositoryMessage message,
            Registry registry,
            UsedImages inventory,
            RepositoryPolicy policy,
            Instant now,
            List<Withheld> withheld,
            Mode mode,
            RepositoryQuarantine quarantine) {}

    private Work work(RepositoryMessage message) {
        Registry registry = registryOf(message);
        // The inventory's document name is its run: reading it checked that it belongs to this run.
        UsedImages inventory = inventories.get(message.runId());
        RepositoryPolicy policy = config.policy().forRepository(message.repository());
        Instant now = clock.instant();
        return new Work(
                message,
                registry,
                inventory,
                policy,
                now,
                withheld(message, inventory, policy, now),
                policy.mode().narrowedBy(message.mode()),
                new RepositoryQuarantine(
                        policy,
                        documents.quarantine(),
                        registry,
                        message.repository(),
                        message.runId(),
                        clock));
    }

    /**
     * Applies the plan from {@code at} until the deadline or the inventory's age, whichever is
     * first.
     */
    private Report apply(Work work, Plan plan, int at, Instant deadline) {
        RepositoryMessage message = work.message();
        // The inventory's age bounds every apply, the command line's too: past maxInventoryAge it
        // is stale.
        Instant until =
                earliest(
                        deadline,
                        work.inventory().collectedAt().plus(work.policy().maxInventoryAge()));
        // The cleaner writes where the plan says; it refuses whatever the inventory marks used
        // there.
        CleanupRequest request =
                new CleanupRequest(
                        message.runId(),
                        plan,
                        work.inventory().usageOf(work.registry().loginServer(), plan.repository()),
                        work.mode(),
                        work.withheld(),
                        budgets.apply(message.runId()),
                        at,
                        until);
        RepositoryQuarantine quarantine = work.quarantine();
        Report applied = quarantine.cleaner(cleaners.apply(work.registry())).apply(request);
        quarantine.afterApply(plan, applied, request.writes(), at == 0);
        if (!applied.complete() && applied.nextIndex() == at) {
            // A continuation that moved nothing would chase its own tail; fail so the host retries
            // it later.
            throw new IllegalStateException(
                    "no decision of "
                            + message.repository()
                            + " could be applied from "
                            + at
                            + " before "
                            + until);
        }
        return applied;
    }

    /**
     * Records that a repository could not be processed, so the run's status names it.
     *
     * @param permanent true when retrying cannot help (the message goes to the poison queue)
     */
    public RepositoryFailure recordFailure(
            RepositoryMessage message, Throwable error, boolean permanent) {
        String text = error.getClass().getSimpleName() + ": " + error.getMessage();
        LOG.error(
                () ->
                        LogLine.of(
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
    private Report merge(Optional<Report> earlier, Report later) {
        List<ReportEntry> entries = new ArrayList<>(earlier.map(Report::entries).orElse(List.of()));
        entries.addAll(later.entries());
        long skipped =
                later.entries().stream().filter(e -> e.result() == Result.SKIPPED_CAP).count();
        Set<Withheld> withheld =
                new LinkedHashSet<>(earlier.map(Report::withheld).orElse(List.of()));
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

    private Registry registryOf(RepositoryMessage message) {
        Registry registry = registries.get(message.registry());
        if (registry == null) {
            throw new RepositoryMessage.InvalidMessageException(
                    "registry '"
                            + message.registry()
                            + "' is not configured (configured: "
                            + String.join(", ", registries.keySet())
                            + ")");
        }
        return registry;
    }

    /** The run's guards, and a repository the configuration no longer selects. */
    private List<Withheld> withheld(
            RepositoryMessage message, UsedImages inventory, RepositoryPolicy policy, Instant now) {
        List<Withheld> withheld =
                new ArrayList<>(Guards.check(inventory, config.policy(), policy, now));
        if (!config.policy().selects(message.repository())) {
            withheld.add(
                    new Withheld(
                            Withheld.Cause.NOT_SELECTED,
                            "repository "
                                    + message.repository()
                                    + " is no longer selected by the configuration"));
        }
        return withheld;
    }

    private static void logPlanned(
            RepositoryMessage message, Plan plan, Mode mode, List<Withheld> withheld, int at) {
        log(
                message,
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
                        + (withheld.isEmpty() ? "" : "; withheld: " + withheld.get(0).message())
                        + (at > 0 ? "; continuing at " + at : ""));
    }

    private static void log(RepositoryMessage message, String text) {
        LOG.info(() -> LogLine.of(message.runId(), message.registry(), message.repository(), text));
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
