package io.acrretention.cleanup;

import io.acrretention.retention.Action;
import io.acrretention.retention.Decision;
import io.acrretention.retention.Plan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The order in which a plan is applied: parents first. An index comes before the children it names,
 * a subject before its referrers, so that a child or referrer is only reached once the manifests it
 * depends on were applied; the cleaner then deletes it only when they are gone. Within that rule,
 * plan order is kept.
 *
 * <p>The order is computed from the plan alone, so the first invocation and every continuation
 * agree on it: a report's {@code nextIndex} counts positions in this order.
 */
final class ApplyOrder {
    private final List<Decision> ordered;
    private final Map<String, Set<String>> guardians;

    private ApplyOrder(List<Decision> ordered, Map<String, Set<String>> guardians) {
        this.ordered = List.copyOf(ordered);
        this.guardians = guardians;
    }

    static ApplyOrder of(Plan plan) {
        List<Decision> ds = plan.decisions();
        Map<String, Set<String>> guardians = new HashMap<>();
        for (Decision d : ds) {
            for (String child : d.children()) {
                guardians.computeIfAbsent(child, k -> new LinkedHashSet<>()).add(d.digest());
            }
            if (d.subject() != null) {
                guardians.computeIfAbsent(d.digest(), k -> new LinkedHashSet<>()).add(d.subject());
            }
        }
        // Waves: a decision joins the first wave after every wave holding one of its guardians. A
        // cycle (which
        // content addressing rules out, but a plan is input) never completes; its members go last,
        // and since
        // each one waits for a guardian that is never gone, none of them is deleted.
        List<Decision> ordered = new ArrayList<>(ds.size());
        Set<String> placed = new HashSet<>();
        Set<String> inPlan = new HashSet<>();
        ds.forEach(d -> inPlan.add(d.digest()));
        List<Decision> left = ds;
        while (!left.isEmpty()) {
            List<Decision> wave = new ArrayList<>();
            List<Decision> later = new ArrayList<>();
            for (Decision d : left) {
                boolean ready =
                        guardians.getOrDefault(d.digest(), Set.of()).stream()
                                .allMatch(g -> placed.contains(g) || !inPlan.contains(g));
                (ready ? wave : later).add(d);
            }
            if (wave.isEmpty()) {
                ordered.addAll(later);
                break;
            }
            wave.forEach(d -> placed.add(d.digest()));
            ordered.addAll(wave);
            left = later;
        }
        return new ApplyOrder(ordered, guardians);
    }

    /**
     * The decisions, parents first; positions in this list are what {@code fromIndex} and {@code
     * nextIndex} count.
     */
    List<Decision> decisions() {
        return ordered;
    }

    /**
     * The manifests that must be gone before this one may be deleted: every index of the plan that
     * names it, and its subject. They are re-read before each attempt; one that is still there
     * keeps it.
     */
    Set<String> guardiansOf(Decision d) {
        return d.action() == Action.DELETE
                ? guardians.getOrDefault(d.digest(), Set.of())
                : Set.of();
    }
}
