package io.acrretention.cleanup;

import io.acrretention.retention.Mode;
import io.acrretention.retention.Plan;
import io.acrretention.retention.Withheld;
import io.acrretention.usage.RepositoryUsage;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One repository's plan to apply.
 *
 * @param used what the run's inventory says clusters use of this repository: never written,
 *     whatever the plan
 * @param withheld why deletion is not allowed; non-empty means nothing is written, whatever the
 *     mode
 * @param budget the run's blast-radius cap, shared by every repository of the run
 * @param fromIndex the first position to apply, in the plan's apply order (a continuation starts
 *     where the last report stopped)
 * @param deadline when to stop taking new decisions, so the invocation ends in time
 */
public record CleanupRequest(
        String runId,
        Plan plan,
        RepositoryUsage used,
        Mode mode,
        List<Withheld> withheld,
        DeleteBudget budget,
        int fromIndex,
        Instant deadline) {
    public CleanupRequest {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(used, "used");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(deadline, "deadline");
        withheld = withheld == null ? List.of() : List.copyOf(withheld);
        if (fromIndex < 0 || fromIndex > plan.decisions().size()) {
            throw new IllegalArgumentException(
                    "fromIndex "
                            + fromIndex
                            + " is outside the plan of "
                            + plan.decisions().size()
                            + " decisions for "
                            + plan.repository());
        }
    }

    /** Whether this request may change the registry at all. */
    public boolean writes() {
        return mode == Mode.DELETE && withheld.isEmpty();
    }
}
