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
        // At exactly maxInventoryAge it is stale: that is the moment an apply in progress stops deleting.
        if (age.compareTo(policy.maxInventoryAge()) >= 0) {
            out.add(new Withheld(Withheld.Cause.INVENTORY_STALE, "inventory " + inventory.runId() + " was collected "
                    + age.withNanos(0) + " ago, not younger than maxInventoryAge " + policy.maxInventoryAge()));
        }
        return out;
    }

    /**
     * Withheld when the run reached {@code maxDeletesPerRun} and so left writes undone ({@code skipped} of them in
     * what was just applied); empty when nothing was skipped. Reaching the cap is an outcome to act on, not a
     * clean finish. The message is the same for every repository, so a run lists it once.
     */
    public static List<Withheld> deleteCap(long skipped, RetentionPolicy policy) {
        if (skipped == 0) {
            return List.of();
        }
        return List.of(new Withheld(Withheld.Cause.DELETE_CAP_REACHED, "the run reached maxDeletesPerRun "
                + policy.maxDeletesPerRun() + ": deletions and untags past it were skipped (skipped-cap in the reports)"));
    }
}
