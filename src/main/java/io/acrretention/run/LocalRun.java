package io.acrretention.run;

import io.acrretention.cleanup.Interrupted;
import io.acrretention.cleanup.Report;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The whole run in one process, as the command line does it: start the run, then work through its
 * repositories a few at a time with the same processor the queue function uses, and summarise.
 */
public final class LocalRun {

    /** The run's summary and its reports, by registry and repository. */
    public record Result(RunSummary summary, List<Report> reports) {}

    /**
     * Hears how the run goes: once when its repositories are known, then once per finished
     * repository.
     */
    public interface Progress {
        Progress NONE =
                new Progress() {
                    @Override
                    public void started(StartedRun run) {}

                    @Override
                    public void repositoryDone(Report report) {}
                };

        void started(StartedRun run);

        /** Called from the worker threads, as each repository ends. */
        void repositoryDone(Report report);
    }

    private final RunStarter starter;
    private final RepositoryProcessor processor;
    private final RunDocuments documents;
    private final RunVerifier verifier;
    private final int parallelRepositories;

    public LocalRun(
            RunStarter starter,
            RepositoryProcessor processor,
            RunDocuments documents,
            RunVerifier verifier,
            int parallelRepositories) {
        this.starter = starter;
        this.processor = processor;
        this.documents = documents;
        this.verifier = verifier;
        this.parallelRepositories = parallelRepositories;
    }

    /** Runs to the end, writing the summary beside the reports. */
    public Result execute(String runId, String trigger, RunSelection scope, Progress progress) {
        StartedRun run = starter.start(runId, trigger, scope);
        progress.started(run);
        List<Report> reports = new ArrayList<>();
        List<RepositoryFailure> failures = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, parallelRepositories));
        try {
            List<Future<Report>> work = new ArrayList<>();
            for (RepositoryMessage message : run.messages()) {
                work.add(pool.submit(() -> processToTheEnd(message, progress)));
            }
            for (int i = 0; i < work.size(); i++) {
                try {
                    reports.add(work.get(i).get());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof Interrupted stopped) {
                        throw stopped;
                    }
                    failures.add(
                            processor.recordFailure(run.messages().get(i), e.getCause(), true));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Interrupted("interrupted while applying retention", e);
        } finally {
            pool.shutdownNow();
        }
        reports.sort(Comparator.comparing(Report::registry).thenComparing(Report::repository));
        Verification verification = null;
        if (RunVerifier.changedAnything(reports)) {
            verification = verifier.verify(runId, run.inventory(), reports);
        }
        RunSummary summary =
                RunSummary.of(run.record(), run.inventory(), reports, failures, verification);
        documents.saveSummary(summary);
        return new Result(summary, reports);
    }

    private Report processToTheEnd(RepositoryMessage message, Progress progress) {
        RepositoryMessage next = message;
        while (true) {
            RepositoryProcessor.Outcome outcome = processor.process(next, Instant.MAX);
            if (outcome.continuation().isEmpty()) {
                progress.repositoryDone(outcome.report());
                return outcome.report();
            }
            if (Thread.currentThread().isInterrupted()) {
                // Asked to stop: what is left is not done, and is not a failure of the repository.
                throw new Interrupted(
                        "stopped before " + next.repository() + " was done: interrupted", null);
            }
            next = outcome.continuation().get();
        }
    }
}
