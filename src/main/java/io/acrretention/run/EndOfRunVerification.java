package io.acrretention.run;

import io.acrretention.cleanup.Report;
import io.acrretention.log.Log;
import io.acrretention.log.LogLine;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Verification at the end of a run in the functions, where no single process sees the whole run:
 * each instance that finishes a repository asks whether it was the last (every repository has a
 * complete report or failed for good), and if so, and the run changed a registry, verifies the used
 * images and writes the verification once. Instances that finish together may both verify; the
 * first record stays. Cheap until the end: a listing of report names, and the reports are read only
 * when every repository has one.
 */
public final class EndOfRunVerification {
    private static final Log LOG = Log.of(EndOfRunVerification.class);

    private final RunDocuments documents;
    private final RunVerifier verifier;

    public EndOfRunVerification(RunDocuments documents, RunVerifier verifier) {
        this.documents = documents;
        this.verifier = verifier;
    }

    /**
     * Called when a repository of the run is done; the verification when this finished the run and
     * it ran.
     */
    public Optional<Verification> afterRepository(String runId) {
        Optional<RunRecord> record = documents.record(runId);
        if (record.isEmpty() || documents.verification(runId).isPresent()) {
            return Optional.empty();
        }
        RunRecord run = record.get();
        if (documents.repositoriesWritten(runId) < run.repositories().size()) {
            return Optional.empty();
        }
        Set<String> finished = new HashSet<>();
        List<Report> reports = documents.reports(runId);
        for (Report r : reports) {
            if (r.complete()) {
                finished.add(r.registry() + "/" + r.repository());
            }
        }
        for (RepositoryFailure f : documents.failures(runId)) {
            if (f.permanent()) {
                finished.add(f.registry() + "/" + f.repository());
            }
        }
        boolean allDone =
                run.repositories().stream()
                        .allMatch(r -> finished.contains(r.registry() + "/" + r.repository()));
        if (!allDone || !RunVerifier.changedAnything(reports)) {
            return Optional.empty();
        }
        Verification verification = verifier.verify(runId, documents.readInventory(runId), reports);
        if (documents.saveVerificationOnce(runId, verification)) {
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
