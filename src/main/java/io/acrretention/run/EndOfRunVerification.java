package io.acrretention.run;

import io.acrretention.cleanup.Report;
import io.acrretention.log.Log;
import io.acrretention.log.LogLine;
import io.acrretention.store.DocumentStore;
import io.acrretention.store.InventoryStore;
import io.acrretention.usage.UsedImages;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Verification at the end of a run in the functions, where no single process sees the whole run:
 * each instance that finishes a repository asks whether it was the last (every repository has a
 * complete report or failed for good), and if so, and the run changed a registry, verifies the used
 * images and writes {@link RunDocumentPaths#verification} once. Instances that finish together may
 * both verify; the first record stays. Cheap until the end: a listing of report names, and the
 * reports are read only when every repository has one.
 */
public final class EndOfRunVerification {
    private static final Log LOG = Log.of(EndOfRunVerification.class);

    private final DocumentStore store;
    private final InventoryStore inventories;
    private final RunVerifier verifier;

    public EndOfRunVerification(
            DocumentStore store, InventoryStore inventories, RunVerifier verifier) {
        this.store = store;
        this.inventories = inventories;
        this.verifier = verifier;
    }

    /**
     * Called when a repository of the run is done; the verification when this finished the run and
     * it ran.
     */
    public Optional<Verification> afterRepository(String runId) {
        String path = RunDocumentPaths.verification(runId);
        Optional<byte[]> recordJson = store.get(RunDocumentPaths.run(runId));
        if (recordJson.isEmpty() || store.get(path).isPresent()) {
            return Optional.empty();
        }
        RunRecord run =
                Documents.fromJson(recordJson.get(), RunRecord.class, RunDocumentPaths.run(runId));
        List<String> reportPaths = store.list(RunDocumentPaths.reportsOf(runId));
        List<String> failurePaths = store.list(RunDocumentPaths.failuresOf(runId));
        if (reportPaths.size() + failurePaths.size() < run.repositories().size()) {
            return Optional.empty();
        }
        Set<String> finished = new HashSet<>();
        List<Report> reports = new ArrayList<>();
        for (String p : reportPaths) {
            store.get(p)
                    .map(b -> Documents.fromJson(b, Report.class, p))
                    .ifPresent(
                            r -> {
                                reports.add(r);
                                if (r.complete()) {
                                    finished.add(r.registry() + "/" + r.repository());
                                }
                            });
        }
        for (String p : failurePaths) {
            store.get(p)
                    .map(b -> Documents.fromJson(b, RepositoryFailure.class, p))
                    .filter(RepositoryFailure::permanent)
                    .ifPresent(f -> finished.add(f.registry() + "/" + f.repository()));
        }
        boolean allDone =
                run.repositories().stream()
                        .allMatch(r -> finished.contains(r.registry() + "/" + r.repository()));
        if (!allDone || !RunVerifier.changedAnything(reports)) {
            return Optional.empty();
        }
        UsedImages inventory = inventories.read(run.inventory());
        Verification verification = verifier.verify(runId, inventory, reports);
        if (store.create(path, Documents.toJson(verification))) {
            LOG.info(
                    () ->
                            LogLine.of(
                                    runId,
                                    null,
                                    null,
                                    "verified "
                                            + verification.checked()
                                            + " used images: "
                                            + verification.missing().size()
                                            + " missing"));
        }
        return Optional.of(verification);
    }
}
