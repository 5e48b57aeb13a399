package io.acrretention.retention;

import static io.acrretention.testing.Repo.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import io.acrretention.registry.Manifest;
import io.acrretention.registry.RepositoryArtifacts;
import io.acrretention.registry.Tag;
import io.acrretention.testing.Repo;
import io.acrretention.usage.ClusterStatus;
import io.acrretention.usage.UsedImage;
import io.acrretention.usage.UsedImages;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The planner's invariants (docs/decision-rule.md, invariants 1, 2, 6, 7, 8) over generated
 * repositories: image indexes with children, referrers by subject and by signature tag, manifests
 * with several tags, locked artifacts, missing times, artifacts from the future, and random
 * policies.
 */
class RetentionPlannerProperties {
    private static final String REPO = "app/api";

    record Scenario(
            RepositoryArtifacts artifacts,
            UsedImages used,
            RepositoryPolicy policy,
            Set<String> usedTags,
            Set<String> usedDigests) {}

    @Test
    void aManifestInUseIsNeverDeletedNorIsItsIndexChildOrReferrerOfAKeptOne() {
        forAllScenarios(
                400,
                (size, seed) -> {
                    Scenario s = scenario(size, new Random(seed));
                    Map<String, Decision> plan = plan(s);
                    Map<String, Manifest> manifests = manifests(s);
                    for (Manifest m : s.artifacts().manifests()) {
                        Decision d = plan.get(m.digest());
                        boolean usedByTag =
                                m.tags().stream().anyMatch(t -> s.usedTags().contains(t.name()));
                        boolean usedByDigest = s.usedDigests().contains(m.digest());
                        boolean usedChild =
                                m.children().stream().anyMatch(s.usedDigests()::contains);
                        if (usedByTag || usedByDigest || usedChild) {
                            assertNotEquals(
                                    Action.DELETE, d.action(), "used manifest deleted: " + d);
                        }
                        if (usedByDigest || usedChild) {
                            assertEquals(
                                    Action.KEEP,
                                    d.action(),
                                    "a manifest used by digest must stay untouched: " + d);
                        }
                        if (d.action() != Action.DELETE) {
                            for (String child : m.children()) {
                                if (plan.containsKey(child)) {
                                    assertNotEquals(
                                            Action.DELETE,
                                            plan.get(child).action(),
                                            "child of kept index deleted");
                                }
                            }
                            for (Manifest other : manifests.values()) {
                                if (m.digest().equals(other.subject())
                                        || other.tagNames()
                                                .contains(
                                                        "sha256-"
                                                                + m.digest().substring(7)
                                                                + ".sig")) {
                                    assertNotEquals(
                                            Action.DELETE,
                                            plan.get(other.digest()).action(),
                                            "referrer of kept deleted");
                                }
                            }
                        }
                        for (Tag t : m.tags()) {
                            if (s.usedTags().contains(t.name())) {
                                assertFalse(
                                        d.untag().contains(t.name()),
                                        "used tag untagged: " + t.name());
                            }
                        }
                    }
                });
    }

    @Test
    void aManifestWithAKeptTagIsNeverDeletedAndOnlyItsGoingTagsAreUntagged() {
        forAllScenarios(
                400,
                (size, seed) -> {
                    Scenario s = scenario(size, new Random(seed));
                    for (Decision d : plan(s).values()) {
                        boolean anyKeptTag =
                                d.tagReasons().values().stream()
                                        .anyMatch(r -> r.stream().allMatch(Reason::keeps));
                        if (anyKeptTag) {
                            assertNotEquals(
                                    Action.DELETE,
                                    d.action(),
                                    "manifest with a kept tag deleted: " + d);
                        }
                        assertTrue(
                                d.tags().containsAll(d.untag()),
                                "untags a tag it does not have: " + d);
                        for (String t : d.untag()) {
                            assertEquals(
                                    List.of(Reason.EXPIRED),
                                    d.tagReasons().get(t),
                                    "untags a kept tag: " + d);
                        }
                        if (d.action() == Action.UNTAG) {
                            assertFalse(d.untag().isEmpty());
                            assertTrue(
                                    d.untag().size() < d.tags().size(),
                                    "untagging every tag would orphan the manifest");
                        } else {
                            assertTrue(d.untag().isEmpty());
                        }
                    }
                });
    }

    @Test
    void lockedArtifactsAreKeptAndReportedLocked() {
        forAllScenarios(
                400,
                (size, seed) -> {
                    Scenario s = scenario(size, new Random(seed));
                    Map<String, Decision> plan = plan(s);
                    for (Manifest m : s.artifacts().manifests()) {
                        Decision d = plan.get(m.digest());
                        if (m.locked()) {
                            assertEquals(Action.KEEP, d.action());
                            assertTrue(d.reasons().contains(Reason.LOCKED));
                        }
                        for (Tag t : m.tags()) {
                            if (t.locked()) {
                                assertNotEquals(Action.DELETE, d.action());
                                assertFalse(d.untag().contains(t.name()));
                                assertTrue(d.tagReasons().get(t.name()).contains(Reason.LOCKED));
                            }
                        }
                    }
                });
    }

    @Test
    void nothingYoungerThanTheLimitIsDeletedOrUntagged() {
        forAllScenarios(
                400,
                (size, seed) -> {
                    Scenario s = scenario(size, new Random(seed));
                    Instant cutoff = NOW.minus(s.policy().keepYoungerThan());
                    Map<String, Decision> plan = plan(s);
                    for (Manifest m : s.artifacts().manifests()) {
                        Decision d = plan.get(m.digest());
                        Instant created =
                                m.createdTime() != null ? m.createdTime() : m.lastUpdateTime();
                        if (created == null || created.isAfter(cutoff)) {
                            assertEquals(Action.KEEP, d.action(), "young manifest touched: " + d);
                        }
                        for (Tag t : m.tags()) {
                            if (t.createdTime() != null && t.createdTime().isAfter(cutoff)) {
                                assertFalse(d.untag().contains(t.name()), "young tag untagged");
                                assertNotEquals(Action.DELETE, d.action(), "young tag deleted");
                            }
                        }
                    }
                });
    }

    @Test
    void everyDecisionAndEveryTagCarriesItsReasons() {
        forAllScenarios(
                400,
                (size, seed) -> {
                    Scenario s = scenario(size, new Random(seed));
                    Map<String, Decision> plan = plan(s);
                    assertEquals(
                            s.artifacts().manifests().size(),
                            plan.size(),
                            "one decision per manifest");
                    for (Decision d : plan.values()) {
                        assertFalse(d.reasons().isEmpty(), "no reason: " + d);
                        if (d.action() == Action.DELETE) {
                            assertTrue(
                                    d.reasons().stream().noneMatch(Reason::keeps),
                                    "deleted with a keep reason: " + d);
                        } else {
                            assertTrue(
                                    d.reasons().stream().allMatch(Reason::keeps),
                                    "kept with a go reason: " + d);
                        }
                        assertEquals(
                                Set.copyOf(d.tags()),
                                d.tagReasons().keySet(),
                                "a tag without reasons: " + d);
                        d.tagReasons().values().forEach(r -> assertFalse(r.isEmpty()));
                    }
                });
    }

    @Test
    void thePlanDoesNotDependOnListingOrder() {
        forAllScenarios(
                200,
                (size, seed) -> {
                    Scenario s = scenario(size, new Random(seed));
                    List<Manifest> shuffled = new ArrayList<>(s.artifacts().manifests());
                    Collections.shuffle(shuffled, new Random(seed ^ 0x5DEECE66DL));
                    RepositoryArtifacts reordered =
                            new RepositoryArtifacts(Repo.REGISTRY, REPO, shuffled);
                    assertEquals(
                            RetentionPlanner.plan(s.artifacts(), s.used(), s.policy(), NOW),
                            RetentionPlanner.plan(reordered, s.used(), s.policy(), NOW));
                });
    }

    /**
     * Runs a property over generated scenarios (a size of 0 to 40 manifests and a seed for
     * everything else). QuickTheories shrinks a failure towards the smallest size and seed and
     * prints them with its own seed; {@code -DQT_SEED=...} replays a run.
     */
    private static void forAllScenarios(int examples, BiConsumer<Integer, Long> property) {
        qt().withExamples(examples)
                .forAll(integers().between(0, 40), longs().all())
                .checkAssert(property);
    }

    private static Map<String, Decision> plan(Scenario s) {
        return RetentionPlanner.plan(s.artifacts(), s.used(), s.policy(), NOW).decisions().stream()
                .collect(Collectors.toMap(Decision::digest, Function.identity()));
    }

    private static Map<String, Manifest> manifests(Scenario s) {
        return s.artifacts().manifests().stream()
                .collect(Collectors.toMap(Manifest::digest, Function.identity()));
    }

    static Scenario scenario(int size, Random rnd) {
        List<String> digests = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            digests.add(Repo.digest("m" + i + "-" + rnd.nextInt()));
        }
        String[] branches = {"main", "master", "feature-a", "release-1"};
        Set<String> tagNames = new HashSet<>();
        List<Manifest> manifests = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            String digest = digests.get(i);
            Instant created =
                    rnd.nextInt(20) == 0
                            ? NOW.plus(Duration.ofHours(rnd.nextInt(24) + 1))
                            : NOW.minus(Duration.ofHours(rnd.nextInt(500 * 24)));
            Instant updated = created.plus(Duration.ofHours(rnd.nextInt(240)));
            if (rnd.nextInt(20) == 0) {
                created = null;
            }
            List<Tag> tags = new ArrayList<>();
            int tagCount = rnd.nextInt(4);
            for (int k = 0; k < tagCount; k++) {
                String name =
                        switch (rnd.nextInt(6)) {
                            case 0 -> "latest";
                            case 1 -> "x" + rnd.nextInt(50);
                            case 2 ->
                                    size > 0
                                            ? "sha256-"
                                                    + digests.get(rnd.nextInt(size)).substring(7)
                                                    + ".sig"
                                            : "y";
                            default ->
                                    "2.1."
                                            + rnd.nextInt(200)
                                            + "-"
                                            + String.format("%07x", rnd.nextInt(1 << 28))
                                            + "-"
                                            + branches[rnd.nextInt(branches.length)];
                        };
                if (!tagNames.add(name)) {
                    continue;
                }
                Instant tagTime =
                        created == null
                                ? updated
                                : created.plus(Duration.ofHours(rnd.nextInt(100)));
                boolean tagDelete = rnd.nextInt(20) != 0;
                tags.add(
                        new Tag(
                                name,
                                digest,
                                rnd.nextInt(15) == 0 ? null : tagTime,
                                rnd.nextInt(15) == 0
                                        ? null
                                        : tagTime.plus(Duration.ofHours(rnd.nextInt(48))),
                                tagDelete,
                                true));
            }
            List<String> children = new ArrayList<>();
            if (size > 1 && rnd.nextInt(6) == 0) {
                for (int c = 0; c < 1 + rnd.nextInt(3); c++) {
                    children.add(digests.get(rnd.nextInt(size)));
                }
            }
            String subject =
                    size > 1 && rnd.nextInt(8) == 0 ? digests.get(rnd.nextInt(size)) : null;
            boolean deleteEnabled = rnd.nextInt(12) != 0;
            boolean writeEnabled = rnd.nextInt(25) != 0;
            manifests.add(
                    new Manifest(
                            digest,
                            "application/vnd.oci.image.manifest.v1+json",
                            rnd.nextInt(1 << 20),
                            created,
                            updated,
                            deleteEnabled,
                            writeEnabled,
                            tags,
                            children,
                            subject));
        }
        Set<String> usedTags = new HashSet<>();
        Set<String> usedDigests = new HashSet<>();
        List<UsedImage> images = new ArrayList<>();
        for (String t : tagNames) {
            if (rnd.nextInt(8) == 0) {
                usedTags.add(t);
                images.add(
                        new UsedImage(Repo.REGISTRY + "/" + REPO + ":" + t, null, List.of("prod")));
            }
        }
        for (String d : digests) {
            if (rnd.nextInt(10) == 0) {
                usedDigests.add(d);
                images.add(
                        new UsedImage(Repo.REGISTRY + "/" + REPO + "@" + d, null, List.of("prod")));
            }
        }
        UsedImages used =
                new UsedImages(
                        "run",
                        NOW,
                        true,
                        List.of(ClusterStatus.ok("prod", images.size(), 1)),
                        images,
                        List.of());
        RepositoryPolicy d = RepositoryPolicy.defaults();
        List<BranchRule> rules =
                rnd.nextBoolean()
                        ? List.of()
                        : List.of(
                                new BranchRule(
                                        Pattern.compile("main|master"),
                                        rnd.nextInt(4),
                                        rnd.nextBoolean()),
                                new BranchRule(
                                        Pattern.compile("release-.*"), rnd.nextInt(3), true));
        RepositoryPolicy policy =
                d.toBuilder()
                        .mode(Mode.DRY_RUN)
                        .keepTags(
                                rnd.nextBoolean() ? List.of(Pattern.compile("latest")) : List.of())
                        .keepRecent(rnd.nextInt(6))
                        .keepRecentPerBranch(rules)
                        .keepYoungerThan(Duration.ofDays(rnd.nextInt(200)))
                        .untagged(
                                rnd.nextBoolean()
                                        ? RepositoryPolicy.Untagged.KEEP
                                        : RepositoryPolicy.Untagged.DELETE)
                        .build();
        return new Scenario(
                new RepositoryArtifacts(Repo.REGISTRY, REPO, manifests),
                used,
                policy,
                usedTags,
                usedDigests);
    }
}
