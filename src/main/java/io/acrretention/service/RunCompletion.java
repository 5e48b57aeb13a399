package io.acrretention.service;

import io.acrretention.log.Log;
import io.acrretention.log.LogLine;
import io.acrretention.report.RunPages;
import io.acrretention.retention.Withheld;
import io.acrretention.run.EndOfRunVerification;
import io.acrretention.run.RunDocuments;
import io.acrretention.run.RunRecord;
import io.acrretention.run.RunStatusReader;
import io.acrretention.run.RunSummary;
import io.acrretention.telemetry.RunTelemetry;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Notices, after a repository is finished, whether it was the run's last: then it verifies that
 * every used image still resolves (when the run deleted), writes the run page and emits the run's
 * metrics. The first check only counts documents (two listings and the small run record), so the
 * whole run is read once near its end, not after every repository. Instances that finish the last
 * repositories at the same moment all see the end; only the one that creates the run's {@code
 * completed} marker first writes the page and counts the metrics, so a run's deletions are never
 * counted twice.
 */
public final class RunCompletion {
    private static final Log LOG = Log.of(RunCompletion.class);

    private final RunDocuments documents;
    private final RunStatusReader status;
    private final EndOfRunVerification verification;
    private final RunPages pages;
    private final RunTelemetry telemetry;
    private final Predicate<String> claim;

    /**
     * @param claim creates the document at a path unless it exists; true for the one caller that
     *     created it
     */
    public RunCompletion(
            RunDocuments documents,
            RunStatusReader status,
            EndOfRunVerification verification,
            RunPages pages,
            RunTelemetry telemetry,
            Predicate<String> claim) {
        this.documents = documents;
        this.status = status;
        this.verification = verification;
        this.pages = pages;
        this.telemetry = telemetry;
        this.claim = claim;
    }

    /**
     * Withheld at the start: known before any repository runs, so the alert need not wait for the
     * end.
     */
    void started(RunRecord run) {
        for (Withheld w : run.withheld()) {
            registries(run).forEach(r -> telemetry.withheld(run.runId(), r, w));
        }
    }

    /**
     * Never throws: the repository's own work is done and recorded, and a retry of its message for
     * a page would only repeat it. A page that could not be written is written by the next GET of
     * the report.
     */
    void afterRepository(String runId) {
        // Verification first, and outside the guard below: a verification that cannot run must fail
        // the message
        // (the host retries it), never pass silently.
        verification
                .afterRepository(runId)
                .ifPresent(
                        v ->
                                v.missing()
                                        .forEach(
                                                m ->
                                                        telemetry.verificationMissing(
                                                                runId, m.registry(), m.image())));
        try {
            finishIfLast(runId);
        } catch (RuntimeException e) {
            LOG.warn(
                    () ->
                            LogLine.of(
                                    runId,
                                    null,
                                    null,
                                    "run page or metrics not written: " + e.getMessage()));
        }
    }

    private void finishIfLast(String runId) {
        Optional<RunRecord> record = documents.record(runId);
        if (record.isEmpty()
                || documents.repositoriesWritten(runId) < record.get().repositories().size()) {
            return;
        }
        RunRecord run = record.get();
        Optional<RunStatusReader.Read> read = status.read(runId);
        if (read.isEmpty()
                || RunSummary.RUNNING.equals(read.get().summary().status())
                || !claim.test(RunDocuments.completedPath(runId))) {
            return;
        }
        RunSummary summary = read.get().summary();
        pages.write(summary, read.get().reports());
        telemetry.completed(summary, read.get().reports());
        // Repository-level reasons (the delete cap, a stale inventory) are only known now.
        Set<Withheld> later = new LinkedHashSet<>(summary.withheld());
        later.removeAll(run.withheld());
        for (Withheld w : later) {
            registries(run).forEach(r -> telemetry.withheld(runId, r, w));
        }
        if (RunSummary.DONE_WITH_FAILURES.equals(summary.status())) {
            registries(run)
                    .forEach(
                            r ->
                                    telemetry.failed(
                                            runId,
                                            r,
                                            summary.failures().size()
                                                    + " repositories failed; "
                                                    + summary.results().getOrDefault("failed", 0L)
                                                    + " writes failed"));
        }
        LOG.info(
                () ->
                        LogLine.of(
                                runId,
                                null,
                                null,
                                "run "
                                        + summary.status()
                                        + "; page "
                                        + RunDocuments.runPagePath(runId)));
    }

    /** The run's registries; a run with none still counts once, under an empty registry. */
    static List<String> registries(RunRecord run) {
        List<String> names =
                run.repositories().stream()
                        .map(RunRecord.RepositoryRef::registry)
                        .distinct()
                        .toList();
        return names.isEmpty() ? List.of("") : names;
    }
}
