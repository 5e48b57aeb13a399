package io.acrretention.quarantine;

import static org.junit.jupiter.api.Assertions.fail;

import io.acrretention.cleanup.Backoff;
import io.acrretention.cleanup.Cleaner;
import io.acrretention.cleanup.DeleteBudget;
import io.acrretention.cleanup.Sleeper;
import io.acrretention.config.ConfigParser;
import io.acrretention.config.RetentionConfig;
import io.acrretention.registry.Manifest;
import io.acrretention.registry.Tag;
import io.acrretention.retention.Mode;
import io.acrretention.run.InventoryCache;
import io.acrretention.run.RepositoryMessage;
import io.acrretention.run.RepositoryProcessor;
import io.acrretention.run.RunDocuments;
import io.acrretention.testing.Repo;
import io.acrretention.usage.ClusterStatus;
import io.acrretention.usage.UsedImage;
import io.acrretention.usage.UsedImages;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * For any sequence of runs, restores, outside re-tags and passing days: nothing is deleted that was
 * not untagged and unused for the whole grace period. Seeded generator; a failure prints the seed
 * and the steps to replay it. Runs go through the queue function's processor, so the planner, the
 * cleaner and the quarantine step all take part; registry and store are the ports in memory.
 */
class QuarantineProperties {
    static final String LOGIN = "mactemp.azurecr.io";
    static final String REPO = "app/api";
    static final Duration GRACE = Duration.ofDays(7);
    static final int SEQUENCES = 100;
    static final int STEPS = 30;

    @Test
    void nothingIsDeletedThatWasNotUntaggedAndUnusedForTheWholeGracePeriod() {
        long base = Long.getLong("quarantine.seed", System.nanoTime());
        for (int i = 0; i < SEQUENCES; i++) {
            long seed = base + i;
            List<String> steps = new ArrayList<>();
            try {
                String violation = simulate(new Random(seed), steps);
                if (violation != null) {
                    fail(
                            "seed "
                                    + seed
                                    + " (replay with -Dquarantine.seed="
                                    + seed
                                    + "): "
                                    + violation
                                    + "\nsteps:\n  "
                                    + String.join("\n  ", steps));
                }
            } catch (RuntimeException e) {
                throw new AssertionError(
                        "seed "
                                + seed
                                + " failed with "
                                + e
                                + "\nsteps:\n  "
                                + String.join("\n  ", steps),
                        e);
            }
        }
    }

    /** One random history; the first violation found, else null. */
    private static String simulate(Random rnd, List<String> steps) {
        Instant[] now = {Repo.NOW};
        MemoryRegistry registry = new MemoryRegistry(LOGIN, REPO, () -> now[0]);
        MemoryStore store = new MemoryStore();
        boolean untaggedDelete = rnd.nextBoolean();
        RetentionConfig config =
                ConfigParser.parse(
                        """
                {"registries": [{"endpoint": "https://127.0.0.1:1", "loginServer": "%s"}], "clusters": [],
                 "policy": {"mode": "delete", "keepRecent": 1, "keepRecentPerBranch": [], "keepYoungerThan": "P3D",
                            "untagged": "%s", "quarantine": {"grace": "P7D"}}}"""
                                .formatted(LOGIN, untaggedDelete ? "delete" : "keep"),
                        "property");
        steps.add("untagged: " + (untaggedDelete ? "delete" : "keep"));
        int images = 3 + rnd.nextInt(5);
        Set<String> everTagged = new HashSet<>();
        for (int i = 0; i < images; i++) {
            Instant t = now[0].minus(Duration.ofDays(10 + rnd.nextInt(50)));
            String d = Repo.digest("img-" + i);
            List<Tag> tags = new ArrayList<>();
            for (int k = rnd.nextInt(3); k > 0; k--) {
                tags.add(Tag.of("v" + i + "-" + k, d, t));
            }
            registry.put(
                    new Manifest(
                            d,
                            "application/vnd.oci.image.manifest.v1+json",
                            100,
                            t,
                            t,
                            true,
                            true,
                            tags,
                            List.of(),
                            null));
            tags.forEach(x -> everTagged.add(x.name()));
        }
        registry.artifacts(REPO)
                .manifests()
                .forEach(
                        m ->
                                steps.add(
                                        "seeded "
                                                + m.digest()
                                                + " created "
                                                + m.createdTime()
                                                + " tags "
                                                + m.tagNames()));
        // When each manifest was last seen tagged or used; a delete needs that to be at least GRACE
        // ago.
        Map<String, Instant> lastBusy = new HashMap<>();
        Map<String, Set<String>> tagsEverOn = new HashMap<>();
        // The tags the current quarantine of a manifest took away: a workload asking for one of
        // them uses it. The
        // quarantine ends when the manifest has tags again (re-tagged or restored) or is used by
        // digest (released);
        // from then on its removed tags name nothing, as after any untag.
        Map<String, Set<String>> removedByQuarantine = new HashMap<>();
        RunDocuments documents = new RunDocuments(store);
        for (int step = 0; step < STEPS; step++) {
            int what = rnd.nextInt(10);
            if (what < 5) {
                List<String> used = new ArrayList<>();
                for (String d : registry.digests()) {
                    int u = rnd.nextInt(8);
                    if (u == 0) {
                        used.add(LOGIN + "/" + REPO + "@" + d);
                    } else if (u == 1 && !tagsEverOn.getOrDefault(d, Set.of()).isEmpty()) {
                        List<String> names = List.copyOf(tagsEverOn.get(d));
                        used.add(LOGIN + "/" + REPO + ":" + names.get(rnd.nextInt(names.size())));
                    }
                }
                used.add(LOGIN + "/other:latest"); // at least one used image, so the guard lets
                // the run delete
                for (String d : registry.digests()) {
                    if (!registry.tagsOf(d).isEmpty()) {
                        removedByQuarantine.remove(d);
                    }
                }
                noteBusy(registry, lastBusy, tagsEverOn, removedByQuarantine, now[0], used);
                used.forEach(r -> removedByQuarantine.remove(r.substring(r.indexOf('@') + 1)));
                List<String> before = registry.digests();
                String runId = String.format("20261123T000000Z-%04x", step);
                documents.saveInventory(
                        new UsedImages(
                                runId,
                                now[0],
                                true,
                                List.of(ClusterStatus.ok("prod", used.size(), 1)),
                                used.stream()
                                        .map(r -> new UsedImage(r, null, List.of("prod")))
                                        .toList(),
                                List.of()));
                RepositoryProcessor p =
                        new RepositoryProcessor(
                                config,
                                Map.of(LOGIN, registry),
                                new InventoryCache(documents),
                                documents,
                                r ->
                                        new Cleaner(
                                                r,
                                                2,
                                                Backoff.defaults(),
                                                Clock.fixed(now[0], ZoneOffset.UTC),
                                                Sleeper.SYSTEM),
                                id -> DeleteBudget.inMemory(100),
                                Clock.fixed(now[0], ZoneOffset.UTC));
                var report =
                        p.process(
                                        new RepositoryMessage(
                                                1,
                                                runId,
                                                LOGIN,
                                                REPO,
                                                RunDocuments.inventoryPath(runId),
                                                Mode.DELETE),
                                        Instant.MAX)
                                .report();
                steps.add(now[0] + " run using " + used + ": " + report.totals().resultsText());
                report.entries().stream()
                        .filter(e -> e.result() == io.acrretention.cleanup.Result.QUARANTINED)
                        .forEach(
                                e ->
                                        removedByQuarantine
                                                .computeIfAbsent(e.digest(), x -> new HashSet<>())
                                                .addAll(e.tags()));
                for (String d : before) {
                    if (!registry.digests().contains(d)) {
                        Instant busy = lastBusy.get(d);
                        if (busy != null && Duration.between(busy, now[0]).compareTo(GRACE) < 0) {
                            return d
                                    + " was deleted at "
                                    + now[0]
                                    + " but was tagged or used at "
                                    + busy;
                        }
                    }
                }
            } else if (what < 7 && !registry.digests().isEmpty()) {
                String d = registry.digests().get(rnd.nextInt(registry.digests().size()));
                String tag = "retag-" + step;
                registry.pushTag(tag, d);
                steps.add(now[0] + " outside push of " + tag + " onto " + d);
            } else if (what < 8) {
                List<QuarantineRecord> held = new QuarantineStore(store).all(null);
                if (!held.isEmpty()) {
                    QuarantineRecord r = held.get(rnd.nextInt(held.size()));
                    new Restorer(
                                    Map.of(LOGIN, registry),
                                    store,
                                    Clock.fixed(now[0], ZoneOffset.UTC))
                            .restore(new RestoreRequest(null, List.of(r.digest()), null, true));
                    steps.add(now[0] + " restore of " + r.digest() + " " + r.tags());
                }
            } else {
                now[0] = now[0].plus(Duration.ofHours(12 + rnd.nextInt(24 * 6)));
            }
            noteBusy(registry, lastBusy, tagsEverOn, removedByQuarantine, now[0], List.of());
        }
        return null;
    }

    /**
     * Records who is tagged now, and who the inventory uses: by digest, by a tag on it, or by a tag
     * its current quarantine removed. (A tag removed by a plain untag names nothing any more, as in
     * the registry.)
     */
    private static void noteBusy(
            MemoryRegistry registry,
            Map<String, Instant> lastBusy,
            Map<String, Set<String>> tagsEverOn,
            Map<String, Set<String>> removedByQuarantine,
            Instant now,
            List<String> used) {
        for (String d : registry.digests()) {
            List<String> tags = registry.tagsOf(d);
            tagsEverOn.computeIfAbsent(d, x -> new java.util.LinkedHashSet<>()).addAll(tags);
            Set<String> names = new HashSet<>(tags);
            names.addAll(removedByQuarantine.getOrDefault(d, Set.of()));
            boolean usedNow =
                    used.stream()
                            .anyMatch(
                                    r ->
                                            r.endsWith("@" + d)
                                                    || names.stream()
                                                            .anyMatch(t -> r.endsWith(":" + t)));
            if (!tags.isEmpty() || usedNow) {
                lastBusy.put(d, now);
            }
        }
    }
}
