package io.acrretention.run;

import io.acrretention.cleanup.Report;
import io.acrretention.store.DocumentStore;
import io.acrretention.store.InventoryStore;
import io.acrretention.usage.UsedImages;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds a run's summary from what its functions wrote: the run record, the inventory and the
 * reports.
 */
public final class RunStatusReader {
    private final DocumentStore store;
    private final InventoryStore inventories;

    public RunStatusReader(DocumentStore store, InventoryStore inventories) {
        this.store = store;
        this.inventories = inventories;
    }

    /** A run's summary with the reports it was made from. */
    public record Read(RunSummary summary, List<Report> reports) {}

    /** Empty when no run with this id has started. */
    public Optional<RunSummary> summarize(String runId) {
        return read(runId).map(Read::summary);
    }

    /** Empty when no run with this id has started. */
    public Optional<Read> read(String runId) {
        Optional<byte[]> record = store.get(RunDocumentPaths.run(runId));
        if (record.isEmpty()) {
            return Optional.empty();
        }
        RunRecord run =
                Documents.fromJson(record.get(), RunRecord.class, RunDocumentPaths.run(runId));
        UsedImages inventory = inventories.find(run.inventory()).orElse(null);
        List<Report> reports = reports(runId);
        List<RepositoryFailure> failures = new ArrayList<>();
        for (String path : store.list(RunDocumentPaths.failuresOf(runId))) {
            store.get(path)
                    .ifPresent(
                            b ->
                                    failures.add(
                                            Documents.fromJson(b, RepositoryFailure.class, path)));
        }
        Verification verification =
                store.get(RunDocumentPaths.verification(runId))
                        .map(
                                b ->
                                        Documents.fromJson(
                                                b,
                                                Verification.class,
                                                RunDocumentPaths.verification(runId)))
                        .orElse(null);
        return Optional.of(
                new Read(RunSummary.of(run, inventory, reports, failures, verification), reports));
    }

    /** The run's repository reports; the run page beside them ({@code index.html}) is not one. */
    public List<Report> reports(String runId) {
        List<Report> reports = new ArrayList<>();
        for (String path : store.list(RunDocumentPaths.reportsOf(runId))) {
            if (path.endsWith(".json")) {
                store.get(path)
                        .ifPresent(b -> reports.add(Documents.fromJson(b, Report.class, path)));
            }
        }
        return reports;
    }
}
