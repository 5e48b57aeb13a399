package io.acrretention.cleanup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acrretention.registry.Manifest;
import io.acrretention.registry.Registry;
import io.acrretention.registry.RegistryException;
import io.acrretention.registry.RepositoryArtifacts;
import io.acrretention.registry.Tag;
import io.acrretention.retention.Mode;
import io.acrretention.retention.Plan;
import io.acrretention.retention.RepositoryPolicy;
import io.acrretention.retention.RetentionPlanner;
import io.acrretention.usage.UsedImage;
import io.acrretention.usage.UsedImages;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Plan and apply together, on random registries that change at random points of the apply
 * (docs/decision-rule.md invariant 9): nothing is deleted that is no longer as listed when it goes,
 * nor a child or referrer whose index or subject stayed; no re-pushed tag is removed; nothing the
 * inventory uses is written; an index never names a missing child. (A manifest that changed and
 * changed back, a tag pushed and moved on, is as listed: no read can tell, and deleting it loses
 * nothing that was not already in the plan.) Seeded: a failure names its seed, and {@code
 * -Dapply.seed=N} replays that one case.
 */
class ApplyWhileChangingProperties {
    static final String REPO = "r";
    static final String LOGIN = "mem.example";
    static final Instant NOW = Instant.parse("2024-06-01T00:00:00Z");
    static final int CASES = 400;

    @Test
    void nothingThatChangedDuringTheApplyIsDeletedAndNoIndexNamesAMissingChild() {
        String only = System.getProperty("apply.seed");
        long first = only == null ? 1 : Long.parseLong(only);
        long last = only == null ? CASES : first;
        int deletedOverall = 0;
        int changedOverall = 0;
        for (long seed = first; seed <= last; seed++) {
            try {
                ChangingRegistry r = run(seed);
                deletedOverall += r.deleted.size();
                changedOverall += r.changed.size();
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(
                        "seed "
                                + seed
                                + " (replay with -Dapply.seed="
                                + seed
                                + "): "
                                + e.getMessage(),
                        e);
            }
        }
        if (only == null) {
            assertTrue(
                    deletedOverall > CASES && changedOverall > CASES,
                    "the cases must delete and change plenty: deleted "
                            + deletedOverall
                            + ", changed "
                            + changedOverall);
        }
    }

    static ChangingRegistry run(long seed) {
        Random rnd = new Random(seed);
        CleanerTest.FakeClock clock = new CleanerTest.FakeClock();
        clock.now.set(NOW);
        int concurrency = 1 + rnd.nextInt(3);
        // With one worker a change may land anywhere between two calls; with several, only on the
        // manifest the
        // current call is about, since a change between another worker's read and write is a race
        // no re-read
        // can close.
        ChangingRegistry registry =
                new ChangingRegistry(rnd, clock, rnd.nextInt(4) * 0.1, concurrency == 1);
        List<Manifest> listed = randomRepository(rnd);
        listed.forEach(registry::put);
        UsedImages used = randomUsage(rnd, listed);
        Plan plan = RetentionPlanner.plan(registry.artifacts(REPO), used, randomPolicy(rnd), NOW);

        registry.startChanging();
        Cleaner cleaner =
                new Cleaner(
                        registry,
                        concurrency,
                        new Backoff(4, Duration.ofMillis(100), Duration.ofSeconds(1)),
                        clock,
                        clock::advance);
        Report report =
                cleaner.apply(
                        new CleanupRequest(
                                "run",
                                plan,
                                used.usageOf(LOGIN, REPO),
                                Mode.DELETE,
                                List.of(),
                                DeleteBudget.inMemory(1000),
                                0,
                                NOW.plus(Duration.ofDays(1))));
        registry.chaos = false;

        assertEquals(plan.decisions().size(), report.entries().size());
        assertTrue(
                registry.violations.isEmpty(),
                String.join("; ", registry.violations)
                        + "; concurrency "
                        + concurrency
                        + "; calls and changes:\n"
                        + String.join("\n", registry.log));
        for (Manifest m : listed) {
            Optional<Manifest> now = registry.refresh(REPO, m.digest());
            if (now.isPresent()) {
                for (String child : m.children()) {
                    assertTrue(registry.has(child), m.digest() + " names deleted child " + child);
                }
            }
            if (m.subject() != null && registry.has(m.subject())) {
                assertTrue(
                        now.isPresent(),
                        m.digest() + " was deleted while its subject " + m.subject() + " stayed");
            }
            RepositoryUsageCheck.assertUntouched(used, m, registry);
        }
        return registry;
    }

    /**
     * Images, indexes over earlier images, referrers of earlier manifests; old enough that many go.
     */
    static List<Manifest> randomRepository(Random rnd) {
        int n = 3 + rnd.nextInt(20);
        List<Manifest> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String digest = digest(i);
            Instant t = NOW.minus(Duration.ofDays(10 + rnd.nextInt(300)));
            List<String> images =
                    out.stream()
                            .filter(m -> m.children().isEmpty() && m.subject() == null)
                            .map(Manifest::digest)
                            .toList();
            List<String> children = new ArrayList<>();
            String subject = null;
            int kind = rnd.nextInt(10);
            if (kind < 2 && !images.isEmpty()) {
                for (int k = 1 + rnd.nextInt(3); k > 0; k--) {
                    String c = images.get(rnd.nextInt(images.size()));
                    if (!children.contains(c)) {
                        children.add(c);
                    }
                }
            } else if (kind < 4 && !out.isEmpty()) {
                subject = out.get(rnd.nextInt(out.size())).digest();
            }
            List<Tag> tags = new ArrayList<>();
            for (int k = rnd.nextInt(3); k > 0; k--) {
                String name = rnd.nextInt(8) == 0 ? "latest" : "t" + i + "-" + k;
                if (out.stream().noneMatch(m -> m.tagNames().contains(name))
                        && tags.stream().noneMatch(x -> x.name().equals(name))) {
                    tags.add(Tag.of(name, digest, t.plus(Duration.ofMinutes(k))));
                }
            }
            out.add(
                    new Manifest(
                            digest,
                            children.isEmpty() ? null : "application/vnd.oci.image.index.v1+json",
                            100,
                            t,
                            t,
                            true,
                            true,
                            tags,
                            children,
                            subject));
        }
        return out;
    }

    static UsedImages randomUsage(Random rnd, List<Manifest> listed) {
        List<UsedImage> images = new ArrayList<>();
        for (int k = rnd.nextInt(4); k > 0; k--) {
            Manifest m = listed.get(rnd.nextInt(listed.size()));
            boolean byTag = !m.tags().isEmpty() && rnd.nextBoolean();
            String ref =
                    LOGIN + "/" + REPO + (byTag ? ":" + m.tagNames().get(0) : "@" + m.digest());
            images.add(new UsedImage(ref, byTag ? null : m.digest(), List.of("prod")));
        }
        return new UsedImages("run", NOW, true, List.of(), images, List.of());
    }

    static RepositoryPolicy randomPolicy(Random rnd) {
        return RepositoryPolicy.defaults().toBuilder()
                .mode(Mode.DELETE)
                .keepRecent(rnd.nextInt(4))
                .keepRecentPerBranch(List.of())
                .keepYoungerThan(Duration.ofDays(30))
                .untagged(
                        rnd.nextBoolean()
                                ? RepositoryPolicy.Untagged.DELETE
                                : RepositoryPolicy.Untagged.KEEP)
                .build();
    }

    static String digest(int i) {
        return "sha256:" + String.format("%064x", i + 1);
    }

    /** Used digests are never deleted and used tags never removed, whatever changed. */
    static final class RepositoryUsageCheck {
        static void assertUntouched(UsedImages used, Manifest listed, ChangingRegistry registry) {
            var usage = used.usageOf(LOGIN, REPO);
            if (usage.usesDigest(listed.digest())) {
                assertFalse(
                        registry.deleted.contains(listed.digest()),
                        "deleted used " + listed.digest());
            }
            for (String tag : listed.tagNames()) {
                if (usage.usesTag(tag)) {
                    assertFalse(registry.removedTags.contains(tag), "removed used tag " + tag);
                }
            }
        }
    }

    /**
     * Our registry port in memory (never an SDK class), changing itself while it is used: a new tag
     * on a manifest, a tag re-pushed onto another manifest or again onto the same one, a manifest
     * updated. Changes land before a read, or instead of a write that then answers 429 (the change
     * happened during the wait).
     */
    static final class ChangingRegistry implements Registry {
        final Map<String, Manifest> manifests = new TreeMap<>();
        final Set<String> changed = new HashSet<>();

        /** Writes that hit something no longer as listed: what the cleaner must never do. */
        final List<String> violations = new ArrayList<>();

        private final Map<String, Manifest> listed = new TreeMap<>();
        final List<String> deleted = new ArrayList<>();
        final List<String> removedTags = new ArrayList<>();

        /** Every call and change in order, with the worker's name: what a failing case prints. */
        final List<String> log = new ArrayList<>();

        private final Random rnd;
        private final CleanerTest.FakeClock clock;
        private final double p;
        private final boolean anywhere;
        volatile boolean chaos;
        private int fresh;

        ChangingRegistry(Random rnd, CleanerTest.FakeClock clock, double p, boolean anywhere) {
            this.rnd = rnd;
            this.clock = clock;
            this.p = p;
            this.anywhere = anywhere;
        }

        synchronized void startChanging() {
            listed.putAll(manifests);
            chaos = true;
        }

        synchronized void put(Manifest m) {
            manifests.put(m.digest(), m);
        }

        synchronized boolean has(String digest) {
            return manifests.containsKey(digest);
        }

        @Override
        public String loginServer() {
            return LOGIN;
        }

        @Override
        public List<String> repositories() {
            return List.of(REPO);
        }

        @Override
        public synchronized RepositoryArtifacts artifacts(String repository) {
            return new RepositoryArtifacts(LOGIN, repository, List.copyOf(manifests.values()));
        }

        @Override
        public synchronized Optional<Manifest> refresh(String repository, String digest) {
            if (chaos && rnd.nextDouble() < p) {
                change(anywhere ? randomDigest() : digest);
            }
            note("refresh " + digest);
            return Optional.ofNullable(manifests.get(digest));
        }

        @Override
        public synchronized DeleteOutcome deleteManifest(String repository, String digest) {
            if (chaos && rnd.nextDouble() < p && manifests.containsKey(digest)) {
                tag(digest, "hotfix-" + fresh++);
                throw throttled();
            }
            note("delete " + digest);
            Manifest now = manifests.remove(digest);
            if (now == null) {
                return DeleteOutcome.ALREADY_GONE;
            }
            if (!asListed(now)) {
                violations.add("deleted " + digest + " although it is no longer as listed: " + now);
            }
            deleted.add(digest);
            return DeleteOutcome.DELETED;
        }

        @Override
        public synchronized DeleteOutcome untag(String repository, String tag) {
            Manifest holder =
                    manifests.values().stream()
                            .filter(m -> m.tagNames().contains(tag))
                            .findFirst()
                            .orElse(null);
            if (holder == null) {
                return DeleteOutcome.ALREADY_GONE;
            }
            if (chaos && rnd.nextDouble() < p) {
                rePush(tag, elsewhere());
                throw throttled();
            }
            note("untag " + tag);
            Tag removed =
                    holder.tags().stream()
                            .filter(x -> x.name().equals(tag))
                            .findFirst()
                            .orElseThrow();
            Manifest before = listed.get(holder.digest());
            if (before == null || !before.tags().contains(removed)) {
                violations.add("removed " + tag + " although it was re-pushed: now " + removed);
            }
            manifests.put(
                    holder.digest(),
                    holder.withTags(
                            holder.tags().stream().filter(t -> !t.name().equals(tag)).toList()));
            removedTags.add(tag);
            return DeleteOutcome.DELETED;
        }

        /**
         * Same tags with the same times, same update time: nothing a re-read could tell apart from
         * the listing.
         */
        private boolean asListed(Manifest now) {
            Manifest before = listed.get(now.digest());
            return before != null
                    && new HashSet<>(before.tags()).equals(new HashSet<>(now.tags()))
                    && before.lastUpdateTime().equals(now.lastUpdateTime());
        }

        private void note(String event) {
            if (chaos) {
                log.add(Thread.currentThread().getName() + ": " + event);
            }
        }

        private RegistryException throttled() {
            note("429");
            return new RegistryException(
                    RegistryException.Kind.THROTTLED,
                    429,
                    "throttled",
                    Duration.ofSeconds(1),
                    null);
        }

        private String randomDigest() {
            List<String> all = List.copyOf(manifests.keySet());
            return all.isEmpty() ? null : all.get(rnd.nextInt(all.size()));
        }

        /**
         * Where a re-pushed tag lands: any manifest when changes may land anywhere, else a new
         * build pushed now (an existing manifest may be between another worker's read and its
         * delete).
         */
        private String elsewhere() {
            if (anywhere) {
                return randomDigest();
            }
            String digest = "sha256:" + String.format("%064x", 1_000_000 + fresh++);
            Instant t = clock.instant().plusSeconds(1);
            manifests.put(
                    digest,
                    new Manifest(digest, null, 100, t, t, true, true, List.of(), List.of(), null));
            return digest;
        }

        private void change(String digest) {
            if (digest == null || !manifests.containsKey(digest)) {
                return;
            }
            Manifest m = manifests.get(digest);
            switch (rnd.nextInt(3)) {
                case 0 -> tag(digest, "new-" + fresh++);
                case 1 ->
                        rePush(
                                m.tags().isEmpty() ? "new-" + fresh++ : m.tagNames().get(0),
                                elsewhere());
                default -> {
                    note("update " + digest);
                    changed.add(digest);
                    manifests.put(
                            digest,
                            new Manifest(
                                    digest,
                                    m.mediaType(),
                                    m.sizeBytes(),
                                    m.createdTime(),
                                    clock.instant().plusSeconds(1),
                                    true,
                                    true,
                                    m.tags(),
                                    m.children(),
                                    m.subject()));
                }
            }
        }

        private void tag(String digest, String name) {
            Manifest m = manifests.get(digest);
            List<Tag> tags = new ArrayList<>(m.tags());
            tags.add(Tag.of(name, digest, clock.instant().plusSeconds(1)));
            manifests.put(digest, m.withTags(tags));
            note("tag " + digest + " " + name);
            changed.add(digest);
        }

        /** The tag leaves its manifest (if any) and names {@code digest} now, freshly pushed. */
        private void rePush(String name, String digest) {
            for (Manifest m : List.copyOf(manifests.values())) {
                if (m.tagNames().contains(name)) {
                    manifests.put(
                            m.digest(),
                            m.withTags(
                                    m.tags().stream()
                                            .filter(t -> !t.name().equals(name))
                                            .toList()));
                    changed.add(m.digest());
                }
            }
            tag(digest, name);
        }
    }
}
