package io.acrretention.report;

import io.acrretention.cleanup.Report;
import io.acrretention.quarantine.QuarantineStore;
import io.acrretention.run.RunDocumentPaths;
import io.acrretention.run.RunIds;
import io.acrretention.run.RunStatusReader;
import io.acrretention.run.RunSummary;
import io.acrretention.store.DocumentStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Writes a run's page, {@code reports/{runId}/index.html}, beside its reports, comparing it with
 * the run before it in the same store (the latest earlier run id that has a run record).
 */
public final class RunPages {
    private static final String RUNS = "runs/";

    /** The policy the page carries in a meta element, for a server to send as a header too. */
    public static final String CONTENT_SECURITY_POLICY = PageAssets.CSP;

    private final DocumentStore store;
    private final RunStatusReader runs;
    private final Clock clock;

    public RunPages(DocumentStore store, RunStatusReader runs, Clock clock) {
        this.store = store;
        this.runs = runs;
        this.clock = clock;
    }

    public static String path(String runId) {
        return RunDocumentPaths.reportsOf(runId) + "index.html";
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
                previousRunId(summary.runId())
                        .map(
                                previous ->
                                        RunChanges.between(
                                                previous, runs.reports(previous), reports));
        String html =
                RunPage.render(
                        summary,
                        reports,
                        changes,
                        new QuarantineStore(store).all(null),
                        clock.instant());
        store.put(path(summary.runId()), html.getBytes(StandardCharsets.UTF_8));
        return html;
    }

    /** Run ids sort by start time, so the previous run is the greatest smaller id. */
    Optional<String> previousRunId(String runId) {
        return store.list(RUNS).stream()
                .filter(p -> p.endsWith("/run.json"))
                .map(p -> p.substring(RUNS.length(), p.length() - "/run.json".length()))
                .filter(id -> RunIds.isValid(id) && id.compareTo(runId) < 0)
                .max(Comparator.naturalOrder());
    }
}
