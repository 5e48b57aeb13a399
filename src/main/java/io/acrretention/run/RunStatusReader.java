package io.acrretention.run;

import io.acrretention.cleanup.Report;
import java.util.List;
import java.util.Optional;

/**
 * Builds a run's summary from what its functions wrote: the run record, the inventory and the
 * reports.
 */
public final class RunStatusReader {
    private final RunDocuments documents;

    public RunStatusReader(RunDocuments documents) {
        this.documents = documents;
    }

    /** A run's summary with the reports it was made from. */
    public record Read(RunSummary summary, List<Report> reports) {}

    /** Empty when no run with this id has started. */
    public Optional<RunSummary> summarize(String runId) {
        return read(runId).map(Read::summary);
    }

    /** Empty when no run with this id has started. */
    public Optional<Read> read(String runId) {
        return documents
                .record(runId)
                .map(
                        run -> {
                            List<Report> reports = documents.reports(runId);
                            return new Read(
                                    RunSummary.of(
                                            run,
                                            documents.inventory(runId).orElse(null),
                                            reports,
                                            documents.failures(runId),
                                            documents.verification(runId).orElse(null)),
                                    reports);
                        });
    }

    /** The run's repository reports; the run page beside them ({@code index.html}) is not one. */
    public List<Report> reports(String runId) {
        return documents.reports(runId);
    }
}
