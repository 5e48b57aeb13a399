package io.acrretention.report;

import io.acrretention.cleanup.Report;
import io.acrretention.run.RunDocuments;
import io.acrretention.run.RunStatusReader;
import io.acrretention.run.RunSummary;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Writes a run's page, {@code reports/{runId}/index.html}, beside its reports, comparing it with
 * the run before it in the same store (the latest earlier run id that has a run record).
 */
public final class RunPages {
    /** The policy the page carries in a meta element, for a server to send as a header too. */
    public static final String CONTENT_SECURITY_POLICY = PageAssets.CSP;

    private final RunDocuments documents;
    private final RunStatusReader runs;
    private final Clock clock;

    public RunPages(RunDocuments documents, RunStatusReader runs, Clock clock) {
        this.documents = documents;
        this.runs = runs;
        this.clock = clock;
    }

    /**
     * Reads the run's documents, writes its page and returns it; empty when no such run has
     * started.
     */
    public Optional<String> write(String runId) {
        return runs.read(runId).map(r -> write(r.summary(), r.reports()));
    }

    /**
     * Writes the page of a run whose summary and reports the caller holds (the command line at its
     * end).
     */
    public String write(RunSummary summary, List<Report> reports) {
        Optional<RunChanges> changes =
                documents
                        .previousRunId(summary.runId())
                        .map(
                                previous ->
                                        RunChanges.between(
                                                previous, runs.reports(previous), reports));
        String html =
                RunPage.render(
                        summary,
                        reports,
                        changes,
                        documents.quarantine().all(null),
                        clock.instant());
        documents.saveRunPage(summary.runId(), html);
        return html;
    }
}
