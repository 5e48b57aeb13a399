package io.acrretention.run;

import io.acrretention.cleanup.QuarantineTotals;
import io.acrretention.cleanup.Report;
import io.acrretention.cleanup.ReportEntry;
import io.acrretention.cleanup.Result;
import io.acrretention.retention.Action;
import io.acrretention.retention.Reason;
import io.acrretention.retention.Withheld;
import io.acrretention.usage.ClusterStatus;
import io.acrretention.usage.UsedImages;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A run at a glance, aggregated from its reports: repositories done, pending and failed; manifests
 * per action, per result and per reason; bytes reclaimed; how collecting each cluster went; and,
 * after a run that deleted, whether every used image still resolves ({@code verification}, null
 * until checked).
 */
public record RunSummary(
        String runId,
        String status,
        RunMode mode,
        Instant startedAt,
        Repositories repositories,
        Map<String, Long> manifests,
        Map<String, Long> results,
        Map<String, Long> reasons,
        long bytesPlanned,
        long bytesReclaimed,
        List<Withheld> withheld,
        List<ClusterStatus> clusters,
        boolean inventoryComplete,
        List<String> failures,
        Verification verification,
        QuarantineTotals quarantine) {

    public record Repositories(int total, int done, int pending, int failed) {}

    public static final String RUNNING = "running";
    public static final String DONE = "done";
    public static final String DONE_WITH_FAILURES = "done-with-failures";

    public static RunSummary of(
            RunRecord run,
            UsedImages inventory,
            List<Report> reports,
            List<RepositoryFailure> failures,
            Verification verification) {
        Map<String, Long> manifests = new TreeMap<>();
        Map<String, Long> results = new TreeMap<>();
        Map<String, Long> reasons = new TreeMap<>();
        for (Action a : Action.values()) {
            manifests.put(a.json(), 0L);
        }
        long planned = 0;
        long reclaimed = 0;
        QuarantineTotals quarantine = QuarantineTotals.NONE;
        Set<String> done = new HashSet<>();
        Set<Withheld> withheld = new java.util.LinkedHashSet<>(run.withheld());
        for (Report r : reports) {
            if (r.complete()) {
                done.add(r.registry() + "/" + r.repository());
            }
            withheld.addAll(r.withheld());
            // The report's totals already count manifests, results and bytes; only reasons are
            // per entry.
            Report.Totals t = r.totals();
            t.manifests().forEach((a, n) -> manifests.merge(a.json(), n, Long::sum));
            t.results().forEach((result, n) -> results.merge(result.code(), n, Long::sum));
            planned += t.bytes().getOrDefault(Action.DELETE, 0L);
            reclaimed += t.bytesReclaimed();
            // Reports written before quarantine existed carry no quarantine totals: they had none.
            quarantine = quarantine.plus(t.quarantine());
            for (ReportEntry e : r.entries()) {
                for (Reason reason : e.reasons()) {
                    reasons.merge(reason.code(), 1L, Long::sum);
                }
            }
        }
        List<String> failureLines = new ArrayList<>(run.listingErrors());
        Set<String> failed = new HashSet<>();
        for (RepositoryFailure f : failures) {
            String key = f.registry() + "/" + f.repository();
            if (!done.contains(key)) {
                failed.add(key);
                failureLines.add(key + ": " + f.error());
            }
        }
        if (verification != null) {
            for (Verification.Missing m : verification.missing()) {
                failureLines.add(
                        "used image "
                                + m.image()
                                + " no longer resolves ("
                                + (m.deletedByThisRun()
                                        ? "this run deleted it"
                                        : "not deleted by this run")
                                + (m.error() == null ? "" : "; " + m.error())
                                + ")");
            }
        }
        // A refused write means a plan contradicted the run's inventory (a bug, or a stale or
        // forged plan): nothing
        // was deleted, but the run must not look clean.
        int failedEntries =
                results.getOrDefault(Result.FAILED.code(), 0L).intValue()
                        + results.getOrDefault(Result.REFUSED_IN_USE.code(), 0L).intValue();
        boolean missing = verification != null && !verification.missing().isEmpty();
        int total = run.repositories().size();
        int pending = Math.max(0, total - done.size() - failed.size());
        String status =
                pending > 0
                        ? RUNNING
                        : (failed.isEmpty()
                                        && failedEntries == 0
                                        && run.listingErrors().isEmpty()
                                        && !missing
                                ? DONE
                                : DONE_WITH_FAILURES);
        failureLines.sort(null);
        return new RunSummary(
                run.runId(),
                status,
                run.mode(),
                run.startedAt(),
                new Repositories(total, done.size(), pending, failed.size()),
                manifests,
                results,
                reasons,
                planned,
                reclaimed,
                List.copyOf(withheld),
                inventory == null ? List.of() : inventory.clusters(),
                inventory != null && inventory.complete(),
                failureLines,
                verification,
                quarantine);
    }
}
