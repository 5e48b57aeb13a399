package io.acrretention.run;

import java.time.Instant;

/** A repository that could not be processed in a run, recorded so the run's status names it. */
public record RepositoryFailure(
        String runId,
        String registry,
        String repository,
        Instant failedAt,
        String error,
        boolean permanent) {}
