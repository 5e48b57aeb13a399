package io.acrretention.retention;

import java.time.Instant;
import java.util.List;

/** The planner's answer for one repository: one decision per manifest, newest first. */
public record Plan(
        String registry, String repository, Instant plannedAt, List<Decision> decisions) {
    public Plan {
        decisions = List.copyOf(decisions);
    }

    public long count(Action action) {
        return decisions.stream().filter(d -> d.action() == action).count();
    }
}
