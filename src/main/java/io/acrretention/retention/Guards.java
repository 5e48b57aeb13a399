package io.acrretention.retention;

import io.acrretention.usage.Baseline;
import io.acrretention.usage.ClusterStatus;
import io.acrretention.usage.UsedImages;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The checks that stand between a plan and a deletion. Each failing check yields its own {@link
 * Withheld}; an empty list means deletion may go ahead. Pure, like the planner.
 */
public final class Guards {
    private Guards() {}

    /**
     * Every reason this inventory may not be used to delete in the run, at {@code now}: the
     * run-wide checks and the base policy's {@code maxInventoryAge}.
     */
    public static List<Withheld> check(UsedImages inventory, RetentionPolicy policy, Instant now) {
        return check(inventory, policy, policy.base(), now);
    }

    /**
     * Every reason this inventory may not be used to delete in one repository, at {@code now}: the
     * run-wide checks of {@code policy} and the {@code maxInventoryAge} of the repository's own
     * rules. Unreadable pull logs withhold every repository, whether its own rules keep by pulls or
     * not, like an incomplete inventory (docs/pulled-recently.md).
     */
    public static List<Withheld> check(
            UsedImages inventory,
            RetentionPolicy policy,
            RepositoryPolicy repository,
            Instant now) {
        List<Withheld> out = new ArrayList<>();
        if (!inventory.complete()) {
            List<ClusterStatus> failed = inventory.failedClusters();
            String which =
                    failed.isEmpty()
                            ? "it is marked incomplete"
                            : failed.stream()
                                    .map(c -> c.name() + " (" + c.error() + ")")
                                    .collect(Collectors.joining("; "));
            out.add(
                    new Withheld(
                            Withheld.Cause.INVENTORY_INCOMPLETE,
                            "inventory " + inventory.runId() + " is incomplete: " + which));
        }
        if (inventory.images().size() < policy.minUsedImages()) {
            out.add(
                    new Withheld(
                            Withheld.Cause.TOO_FEW_USED_IMAGES,
                            "inventory "
                                    + inventory.runId()
                                    + " lists "
                                    + inventory.images().size()
                                    + " used images, fewer than minUsedImages "
                                    + policy.minUsedImages()));
        }
        Baseline last = inventory.baseline();
        int used = inventory.images().size();
        if (last != null && last.images() > 0) {
            double drop = (last.images() - used) / (double) last.images();
            // "Half the namespaces missing" is exactly the case to stop: a drop of the fraction
            // itself withholds.
            if (drop > 0 && drop >= policy.maxUsedImagesDrop()) {
                out.add(
                        new Withheld(
                                Withheld.Cause.USED_IMAGES_DROPPED,
                                "inventory "
                                        + inventory.runId()
                                        + " lists "
                                        + used
                                        + " used images, "
                                        + Math.round(drop * 100)
                                        + "% fewer than the "
                                        + last.images()
                                        + " of the last complete run "
                                        + last.runId()
                                        + ", at least maxUsedImagesDrop "
                                        + policy.maxUsedImagesDrop()));
            }
        }
        Duration age = Duration.between(inventory.collectedAt(), now);
        // At exactly maxInventoryAge it is stale: that is the moment an apply in progress stops
        // deleting.
        if (age.compareTo(repository.maxInventoryAge()) >= 0) {
            out.add(
                    new Withheld(
                            Withheld.Cause.INVENTORY_STALE,
                            "inventory "
                                    + inventory.runId()
                                    + " was collected "
                                    + age.withNanos(0)
                                    + " ago, not younger than maxInventoryAge "
                                    + repository.maxInventoryAge()));
        }
        if (policy.pullWindow().isPresent()) {
            if (inventory.pulls().isEmpty()) {
                out.add(
                        new Withheld(
                                Withheld.Cause.PULL_LOGS_UNREADABLE,
                                "inventory "
                                        + inventory.runId()
                                        + " holds no pull logs, but keepPulledWithin is set"));
            }
            inventory.pulls().stream()
                    .filter(p -> !p.readable())
                    .forEach(
                            p ->
                                    out.add(
                                            new Withheld(
                                                    Withheld.Cause.PULL_LOGS_UNREADABLE,
                                                    "pull logs of "
                                                            + p.registry()
                                                            + " unreadable: "
                                                            + p.error())));
        }
        return out;
    }

    /**
     * Whether an inventory checked with these outcomes may become the baseline of later runs: only
     * a complete one that was not itself implausible, or one bad answer would make the next one
     * look normal.
     */
    public static boolean trustedAsBaseline(List<Withheld> withheld) {
        return withheld.stream()
                .noneMatch(
                        w ->
                                w.cause() == Withheld.Cause.INVENTORY_INCOMPLETE
                                        || w.cause() == Withheld.Cause.TOO_FEW_USED_IMAGES
                                        || w.cause() == Withheld.Cause.USED_IMAGES_DROPPED);
    }

    /**
     * Withheld when the run reached {@code maxDeletesPerRun} and so left writes undone ({@code
     * skipped} of them in what was just applied); empty when nothing was skipped. Reaching the cap
     * is an outcome to act on, not a clean finish. The message is the same for every repository, so
     * a run lists it once.
     */
    public static List<Withheld> deleteCap(long skipped, RetentionPolicy policy) {
        if (skipped == 0) {
            return List.of();
        }
        return List.of(
                new Withheld(
                        Withheld.Cause.DELETE_CAP_REACHED,
                        "the run reached maxDeletesPerRun "
                                + policy.maxDeletesPerRun()
                                + ": deletions and untags past it were skipped (skipped-cap in the reports)"));
    }
}
