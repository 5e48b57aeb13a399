package io.acrretention.usage;

import java.util.Objects;

/**
 * What the last complete, trusted run counted, kept in a run's inventory so that every repository
 * of the run (and every continuation) compares against the same number: a sudden drop in used
 * images means a cluster answered only in part, not that half the workloads went away.
 *
 * @param runId the run whose inventory this is
 * @param images how many used images it listed
 */
public record Baseline(String runId, int images) {
    public Baseline {
        Objects.requireNonNull(runId, "runId");
    }
}
