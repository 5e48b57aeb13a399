package io.acrretention.retention;

import io.acrretention.inventory.ClusterStatus;
import io.acrretention.inventory.UsedImages;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The checks that stand between a plan and a deletion. Each failing check yields its own {@link Withheld};
 * an empty list means deletion may go ahead. Pure, like the planner.
 */
public final class Guards {
    private Guards() {
    }

    /** Every reason this inventory may not be used to delete, at {@code now}. */
    public static List<Withheld> check(UsedImages inventory, RetentionPolicy policy, Instant now) {
        List<Withheld> out = new ArrayList<>();
        if (!inventory.complete()) {
            List<ClusterStatus> failed = inventory.failedClusters();
            String which = failed.isEmpty() ? "it is marked incomplete"
                    : failed.stream().map(c -> c.name() + " (" + c.error() + ")").collect(Collectors.joining("; "));
            out.add(new Withheld(Withheld.Cause.INVENTORY_INCOMPLETE,
                    "inventory " + inventory.runId() + " is incomplete: " + which));
        }
        if (inventory.images().size() < policy.minUsedImages()) {
            out.add(new Withheld(Withheld.Cause.TOO_FEW_USED_IMAGES, "inventory " + inventory.runId() + " lists "
                    + inventory.images().size() + " used images, fewer than minUsedImages " + policy.minUsedImages()));
        }
        Duration age = Duration.between(inventory.collectedAt(), now);
        if (age.compareTo(policy.maxInventoryAge()) > 0) {
            out.add(new Withheld(Withheld.Cause.INVENTORY_STALE, "inventory " + inventory.runId() + " was collected "
                    + age.withNanos(0) + " ago, older than maxInventoryAge " + policy.maxInventoryAge()));
        }
        if (policy.pullWindow().isPresent()) {
            if (inventory.pulls().isEmpty()) {
                out.add(new Withheld(Withheld.Cause.PULL_LOGS_UNREADABLE, "inventory " + inventory.runId()
                        + " holds no pull logs, but keepPulledWithin is set"));
            }
            inventory.pulls().stream().filter(p -> !p.readable()).forEach(p -> out.add(new Withheld(
                    Withheld.Cause.PULL_LOGS_UNREADABLE, "pull logs of " + p.registry() + " unreadable: " + p.error())));
        }
        return out;
    }

    /** Withheld once a run has made {@code maxDeletesPerRun} deletions; empty while it may go on. */
    public static List<Withheld> deleteCap(long deletesSoFar, RetentionPolicy policy) {
        if (deletesSoFar < policy.maxDeletesPerRun()) {
            return List.of();
        }
        return List.of(new Withheld(Withheld.Cause.DELETE_CAP_REACHED, "the run reached maxDeletesPerRun "
                + policy.maxDeletesPerRun() + " after " + deletesSoFar + " deletions"));
    }
}
