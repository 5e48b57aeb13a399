package io.acrretention.retention;

import static io.acrretention.testing.Repo.NOW;
import static io.acrretention.testing.Repo.digest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acrretention.config.PolicyParser;
import io.acrretention.registry.Manifest;
import io.acrretention.registry.Tag;
import io.acrretention.testing.Inventories;
import io.acrretention.testing.Repo;
import io.acrretention.usage.UsedImages;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RetentionPlannerTest {
    private static final RepositoryPolicy DEFAULTS = RepositoryPolicy.defaults();
    private static final UsedImages NOTHING_USED = Inventories.using();

    private static Map<String, Decision> byDigest(Plan plan) {
        return plan.decisions().stream()
                .collect(Collectors.toMap(Decision::digest, Function.identity()));
    }

    private static Decision decisionFor(Plan plan, String label) {
        Decision d = byDigest(plan).get(digest(label));
        assertTrue(d != null, "no decision for " + label);
        return d;
    }

    private static RepositoryPolicy policy(String json) {
        return PolicyParser.parse(json).base();
    }

    /**
     * The original script: keep latest, used, the 10 newest tags, the 10 newest of main|master and
     * anything younger than 90 days. 30 tags across main, master and a feature branch, ages 1 to
     * 400 days.
     */
    @Test
    void reproducesTheOriginalScriptOnThirtyTagsAcrossBranches() {
        Repo repo = Repo.named("app/api");
        String[] branches = {"main", "master", "feature1"};
        for (int i = 0; i < 30; i++) {
            double age = 1 + i * (399.0 / 29);
            String tag =
                    "2.1."
                            + (30 - i)
                            + "-"
                            + String.format("%07x", 0x3e158f8 + i)
                            + "-"
                            + branches[i % 3];
            if (i == 0) {
                repo.image("m" + i, age, tag, "latest");
            } else {
                repo.image("m" + i, age, tag);
            }
        }
        UsedImages used =
                Inventories.using(
                        "mactemp.azurecr.io/app/api:2.1.2-"
                                + String.format("%07x", 0x3e158f8 + 28)
                                + "-master",
                        "mactemp.azurecr.io/app/api@" + digest("m27"));

        Plan plan = RetentionPlanner.plan(repo.build(), used, DEFAULTS, NOW);

        Set<Integer> deleted = new TreeSet<>();
        for (int i = 0; i < 30; i++) {
            if (decisionFor(plan, "m" + i).action() == Action.DELETE) {
                deleted.add(i);
            }
        }
        // Kept: 0..9 recent; 10, 12, 13 are the 8th-10th newest of main|master; 0..6 young; 27, 28
        // used.
        assertEquals(
                new TreeSet<>(List.of(11, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 29)),
                deleted);
        assertEquals(
                Set.of(Reason.LATEST, Reason.RECENT, Reason.RECENT_BRANCH, Reason.YOUNG),
                Set.copyOf(decisionFor(plan, "m0").reasons()));
        assertEquals(List.of(Reason.RECENT_BRANCH), decisionFor(plan, "m13").reasons());
        assertEquals(List.of(Reason.USED), decisionFor(plan, "m28").reasons());
        assertEquals(List.of(Reason.USED), decisionFor(plan, "m27").reasons());
        assertEquals(List.of(Reason.EXPIRED), decisionFor(plan, "m29").reasons());
    }

    @Test
    void aManifestWithAKeptTagIsUntaggedNeverDeleted() {
        Repo repo =
                Repo.named("app")
                        .image("shared", 200, "latest", "1.0.0-abcdef0-feature", "old-build");
        Plan plan =
                RetentionPlanner.plan(
                        repo.build(), NOTHING_USED, policy("{\"keepRecent\": 0}"), NOW);
        Decision d = decisionFor(plan, "shared");
        assertEquals(Action.UNTAG, d.action());
        assertEquals(List.of("1.0.0-abcdef0-feature", "old-build"), d.untag());
        assertEquals(List.of(Reason.LATEST), d.reasons());
        assertEquals(List.of(Reason.EXPIRED), d.tagReasons().get("old-build"));
    }

    @Test
    void aManifestUsedByDigestKeepsAllItsTags() {
        Repo repo = Repo.named("app").image("running", 300, "old-1", "old-2");
        UsedImages used = Inventories.using("mactemp.azurecr.io/app@" + digest("running"));
        Decision d =
                decisionFor(
                        RetentionPlanner.plan(
                                repo.build(), used, policy("{\"keepRecent\": 0}"), NOW),
                        "running");
        assertEquals(Action.KEEP, d.action());
        assertEquals(List.of(Reason.USED), d.reasons());
        assertEquals(List.of(Reason.SHARES_MANIFEST), d.tagReasons().get("old-1"));
    }

    @Test
    void aTagUsedByAClusterKeepsItsManifest() {
        Repo repo = Repo.named("app").image("a", 300, "v1").image("b", 300, "v2");
        UsedImages used = Inventories.using("mactemp.azurecr.io/app:v1");
        Plan plan = RetentionPlanner.plan(repo.build(), used, policy("{\"keepRecent\": 0}"), NOW);
        assertEquals(Action.KEEP, decisionFor(plan, "a").action());
        assertEquals(List.of(Reason.USED), decisionFor(plan, "a").reasons());
        assertEquals(Action.DELETE, decisionFor(plan, "b").action());
    }

    @Test
    void aReferenceWithoutTagOrDigestUsesLatest() {
        Repo repo = Repo.named("app").image("a", 300, "latest");
        UsedImages used = Inventories.using("mactemp.azurecr.io/app");
        Decision d =
                decisionFor(
                        RetentionPlanner.plan(
                                repo.build(),
                                used,
                                policy("{\"keepTags\": [], \"keepRecent\": 0}"),
                                NOW),
                        "a");
        assertEquals(List.of(Reason.USED), d.reasons());
    }

    @Test
    void imagesOfAnotherRegistryOrRepositoryDoNotProtectThisOne() {
        Repo repo = Repo.named("app").image("a", 300, "v1");
        UsedImages used =
                Inventories.using("otherregistry.azurecr.io/app:v1", "mactemp.azurecr.io/app2:v1");
        Decision d =
                decisionFor(
                        RetentionPlanner.plan(
                                repo.build(), used, policy("{\"keepRecent\": 0}"), NOW),
                        "a");
        assertEquals(Action.DELETE, d.action());
    }

    @Test
    void anIndexWithAUsedChildIsKeptAndSoAreItsOtherChildren() {
        Repo repo =
                Repo.named("app")
                        .image("amd64", 300)
                        .image("arm64", 300)
                        .index("index", 300, List.of("amd64", "arm64"), "v1");
        UsedImages used = Inventories.using("mactemp.azurecr.io/app@" + digest("amd64"));
        Plan plan =
                RetentionPlanner.plan(
                        repo.build(),
                        used,
                        policy("{\"keepRecent\": 0, \"untagged\": \"delete\"}"),
                        NOW);
        assertEquals(List.of(Reason.USED_CHILD), decisionFor(plan, "index").reasons());
        assertEquals(
                Set.of(Reason.USED, Reason.INDEX_CHILD),
                Set.copyOf(decisionFor(plan, "amd64").reasons()));
        assertEquals(List.of(Reason.INDEX_CHILD), decisionFor(plan, "arm64").reasons());
    }

    @Test
    void childrenOfADeletedIndexGoWhenUntaggedManifestsMayGo() {
        Repo repo =
                Repo.named("app").image("amd64", 300).index("index", 300, List.of("amd64"), "v1");
        Plan plan =
                RetentionPlanner.plan(
                        repo.build(),
                        NOTHING_USED,
                        policy("{\"keepRecent\": 0, \"untagged\": \"delete\"}"),
                        NOW);
        assertEquals(Action.DELETE, decisionFor(plan, "index").action());
        assertEquals(List.of(Reason.UNTAGGED_EXPIRED), decisionFor(plan, "amd64").reasons());
    }

    @Test
    void untaggedManifestsAreKeptByDefault() {
        Repo repo = Repo.named("app").image("dangling", 400);
        Decision d =
                decisionFor(
                        RetentionPlanner.plan(repo.build(), NOTHING_USED, DEFAULTS, NOW),
                        "dangling");
        assertEquals(Action.KEEP, d.action());
        assertEquals(List.of(Reason.UNTAGGED), d.reasons());
    }

    @Test
    void aSignatureOfAKeptManifestIsKeptAndASignatureOfADeletedOneGoes() {
        Repo repo =
                Repo.named("app")
                        .image("kept", 200, "latest")
                        .image("gone", 250, "1.0")
                        .image("sig-kept", 200, "sha256-" + digest("kept").substring(7) + ".sig")
                        .image("sig-gone", 200, "sha256-" + digest("gone").substring(7) + ".sig")
                        .referrer("sbom", 200, "kept");
        Plan plan =
                RetentionPlanner.plan(
                        repo.build(),
                        NOTHING_USED,
                        policy("{\"keepRecent\": 5, \"untagged\": \"delete\"}"),
                        NOW);
        assertEquals(List.of(Reason.REFERRER), decisionFor(plan, "sig-kept").reasons());
        assertEquals(List.of(Reason.REFERRER), decisionFor(plan, "sbom").reasons());
        // "1.0" is the only version besides latest: keepRecent 5 keeps it, signature tags take no
        // slot.
        assertEquals(Action.KEEP, decisionFor(plan, "gone").action());
        Plan strict =
                RetentionPlanner.plan(
                        repo.build(),
                        NOTHING_USED,
                        policy("{\"keepRecent\": 1, \"untagged\": \"delete\"}"),
                        NOW);
        assertEquals(Action.DELETE, decisionFor(strict, "gone").action());
        assertEquals(Action.DELETE, decisionFor(strict, "sig-gone").action());
    }

    @Test
    void aLockedManifestIsKeptAndReportedLocked() {
        Repo repo = Repo.named("app").locked("pinned", 400, "old");
        Decision d =
                decisionFor(
                        RetentionPlanner.plan(
                                repo.build(), NOTHING_USED, policy("{\"keepRecent\": 0}"), NOW),
                        "pinned");
        assertEquals(Action.KEEP, d.action());
        assertEquals(List.of(Reason.LOCKED), d.reasons());
    }

    @Test
    void aLockedTagIsNeverUntagged() {
        String dg = digest("m");
        Manifest m =
                new Manifest(
                        dg,
                        "x",
                        1,
                        Repo.daysAgo(400),
                        Repo.daysAgo(400),
                        true,
                        true,
                        List.of(
                                new Tag(
                                        "locked-tag",
                                        dg,
                                        Repo.daysAgo(400),
                                        Repo.daysAgo(400),
                                        true,
                                        false),
                                Tag.of("free", dg, Repo.daysAgo(400))),
                        List.of(),
                        null);
        Plan plan =
                RetentionPlanner.plan(
                        Repo.named("app").add(m).build(),
                        NOTHING_USED,
                        policy("{\"keepRecent\": 0}"),
                        NOW);
        Decision d = plan.decisions().get(0);
        assertEquals(Action.UNTAG, d.action());
        assertEquals(List.of("free"), d.untag());
        assertEquals(List.of(Reason.LOCKED), d.tagReasons().get("locked-tag"));
    }

    @Test
    void anythingYoungerThanTheLimitIsKeptEvenWhenNothingElseKeepsIt() {
        Repo repo = Repo.named("app").image("new", 29, "feature-x").image("old", 31, "feature-y");
        Plan plan =
                RetentionPlanner.plan(
                        repo.build(),
                        NOTHING_USED,
                        policy("{\"keepRecent\": 0, \"keepYoungerThan\": \"P30D\"}"),
                        NOW);
        assertEquals(List.of(Reason.YOUNG), decisionFor(plan, "new").reasons());
        assertEquals(Action.DELETE, decisionFor(plan, "old").action());
    }

    @Test
    void anArtifactPushedDuringTheRunIsYoung() {
        Repo repo = Repo.named("app").image("future", -0.01, "pushed-now");
        Decision d =
                decisionFor(
                        RetentionPlanner.plan(
                                repo.build(),
                                NOTHING_USED,
                                policy("{\"keepRecent\": 0, \"keepYoungerThan\": \"PT0S\"}"),
                                NOW),
                        "future");
        assertEquals(List.of(Reason.YOUNG), d.reasons());
    }

    @Test
    void anArtifactWithoutTimesIsTreatedAsYoungBecauseNothingProvesItOld() {
        String dg = digest("timeless");
        Manifest m =
                new Manifest(
                        dg,
                        "x",
                        1,
                        null,
                        null,
                        true,
                        true,
                        List.of(new Tag("t", dg, null, null, true, true)),
                        List.of(),
                        null);
        Plan plan =
                RetentionPlanner.plan(
                        Repo.named("app").add(m).build(),
                        NOTHING_USED,
                        policy("{\"keepRecent\": 0}"),
                        NOW);
        assertEquals(Action.KEEP, plan.decisions().get(0).action());
        assertTrue(plan.decisions().get(0).reasons().contains(Reason.YOUNG));
    }

    @Test
    void recencyCountsTagsNewestFirstWithTiesBrokenByName() {
        Repo repo =
                Repo.named("app")
                        .image("a", 200, "b-tag")
                        .image("b", 200, "a-tag")
                        .image("c", 300, "c-tag");
        Plan plan =
                RetentionPlanner.plan(
                        repo.build(), NOTHING_USED, policy("{\"keepRecent\": 1}"), NOW);
        assertEquals(List.of(Reason.RECENT), decisionFor(plan, "b").reasons());
        assertEquals(Action.DELETE, decisionFor(plan, "a").action());
    }

    @Test
    void keepRecentPerBranchWithEachKeepsNForEveryMatchingBranch() {
        Repo repo = Repo.named("app");
        for (String branch : List.of("release-1", "release-2")) {
            for (int i = 0; i < 3; i++) {
                repo.image(branch + i, 100 + i, "1.0." + i + "-abcdef" + i + "-" + branch);
            }
        }
        repo.image("feature", 100, "1.0.0-abcdef9-feature");
        Plan plan =
                RetentionPlanner.plan(
                        repo.build(),
                        NOTHING_USED,
                        policy(
                                """
                {"keepRecent": 0, "keepRecentPerBranch": [{"branch": "release-.*", "keep": 2, "each": true}]}"""),
                        NOW);
        assertEquals(List.of(Reason.RECENT_BRANCH), decisionFor(plan, "release-11").reasons());
        assertEquals(List.of(Reason.RECENT_BRANCH), decisionFor(plan, "release-21").reasons());
        assertEquals(Action.DELETE, decisionFor(plan, "release-12").action());
        assertEquals(Action.DELETE, decisionFor(plan, "release-22").action());
        assertEquals(Action.DELETE, decisionFor(plan, "feature").action());
    }

    @Test
    void aBranchRuleMustMatchTheWholeBranchName() {
        Repo repo = Repo.named("app").image("x", 200, "1.0.0-abcdef0-main-hotfix");
        Plan plan =
                RetentionPlanner.plan(
                        repo.build(), NOTHING_USED, policy("{\"keepRecent\": 0}"), NOW);
        assertEquals(Action.DELETE, decisionFor(plan, "x").action());
    }

    @Test
    void keepTagsPatternsKeepTagsThatContainAMatch() {
        Repo repo = Repo.named("app").image("a", 300, "stable-2024").image("b", 300, "nightly");
        Plan plan =
                RetentionPlanner.plan(
                        repo.build(),
                        NOTHING_USED,
                        policy("{\"keepRecent\": 0, \"keepTags\": [\"^stable-\"]}"),
                        NOW);
        assertEquals(List.of(Reason.LATEST), decisionFor(plan, "a").reasons());
        assertEquals(Action.DELETE, decisionFor(plan, "b").action());
    }

    @Test
    void thePlanIsTheSameWhateverOrderTheRegistryListsIn() {
        Repo forward = Repo.named("app");
        Repo backward = Repo.named("app");
        for (int i = 0; i < 20; i++) {
            forward.image("m" + i, 50 + i * 10, "t" + i);
            backward.image("m" + (19 - i), 50 + (19 - i) * 10, "t" + (19 - i));
        }
        assertEquals(
                RetentionPlanner.plan(forward.build(), NOTHING_USED, DEFAULTS, NOW),
                RetentionPlanner.plan(backward.build(), NOTHING_USED, DEFAULTS, NOW));
    }

    @Test
    void decisionsAreListedNewestFirst() {
        Repo repo = Repo.named("app").image("old", 300, "a").image("new", 1, "b");
        Plan plan = RetentionPlanner.plan(repo.build(), NOTHING_USED, DEFAULTS, NOW);
        assertEquals(digest("new"), plan.decisions().get(0).digest());
        assertEquals(Duration.ZERO, Duration.between(plan.plannedAt(), NOW));
    }
}
